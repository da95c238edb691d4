using AgentOrleans.Grains.Auth;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace AgentOrleans.Tests.Explorer;

/// <summary>
/// An Api of its own for the browser tests, on real Kestrel (the page streams SSE over the wire), with
/// authentication on (the page must send the key it was given) and LLM steps pointed at the simulator.
/// </summary>
public sealed class ExplorerApiFactory(string simulatorUrl) : ApiFactory
{
    public string Key { get; } = ApiKeys.New();

    protected override int PortSuffix => 451;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("AgentOrleans:Auth:Keys:explorer:Hash", ApiKeys.HashHex(Key));
        builder.UseSetting("AgentOrleans:Auth:Keys:explorer:Scopes", string.Join(',', Scopes.All));
        builder.UseSetting("AgentOrleans:Llm:Providers:default:BaseUrl", simulatorUrl);
        builder.UseSetting("AgentOrleans:Llm:Providers:default:Model", "sim-fast");
        builder.UseSetting("AgentOrleans:Llm:Providers:default:ApiKey", "sk-explorer-test");
    }
}
