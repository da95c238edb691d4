using AgentOrleans.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace AgentOrleans.Tests.StartupTasks;

/// <summary>
/// The embedded Api with two startup tasks whose workflows the tests publish: <see cref="Gate"/> gates readiness (it
/// waits for the signal <c>go</c>), <see cref="Broken"/> does not (it fails every attempt, two attempts).
/// </summary>
public sealed class StartupTaskApiFactory : ApiFactory
{
    public const string Gate = "gate";
    public const string GateWorkflow = "startup-gate";
    public const string Broken = "broken";
    public const string BrokenWorkflow = "startup-broken";

    protected override int PortSuffix => 442;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("AgentOrleans:Cluster:Dashboard", "false");
        builder.UseSetting("AgentOrleans:StartupTaskRunner:PollInterval", "00:00:00.100");
        builder.UseSetting($"AgentOrleans:StartupTasks:{Gate}:WorkflowId", GateWorkflow);
        builder.UseSetting($"AgentOrleans:StartupTasks:{Gate}:RunKey", "2026-12-02");
        builder.UseSetting($"AgentOrleans:StartupTasks:{Gate}:GatesReadiness", "true");
        builder.UseSetting($"AgentOrleans:StartupTasks:{Gate}:Input:reason", "tests");
        builder.UseSetting($"AgentOrleans:StartupTasks:{Broken}:WorkflowId", BrokenWorkflow);
        builder.UseSetting($"AgentOrleans:StartupTasks:{Broken}:RunKey", "1");
    }
}
