using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Placement;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Placement;

/// <summary>
/// The default placement (<c>ExecutionLoad</c>) in a two-silo cluster of its own, so no other test's
/// executions weigh on either silo.
/// </summary>
public sealed class ExecutionPlacementTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    private IGrainFactory Grains => _cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.StopAllSilosAsync();

    [Fact]
    public async Task NewExecutionsGoToTheSiloWithFewerExecutionsRunning()
    {
        var (busy, idle) = (_cluster.Silos[0].SiloAddress, _cluster.Silos[1].SiloAddress);
        var runs = new Runs(Grains);
        var workflowId = await runs.PublishAsync(new JsonObject { ["wait"] = Node("test.block") });
        List<IExecutionGrain> load = [];
        for (var i = 0; i < 10; i++)
        {
            load.Add(await StartOnAsync(runs, workflowId, busy));
        }

        await EverySiloSeesAsync(busy, 10);
        var placed = new List<IExecutionGrain>();
        for (var i = 0; i < 10; i++)
        {
            placed.Add(await runs.StartAsync(workflowId));
        }

        var onBusy = await HostedOnAsync(busy, load);
        var newOnIdle = await HostedOnAsync(idle, placed);
        await CancelAllAsync([.. load, .. placed]);

        Assert.Equal(10, onBusy.Count);
        Assert.True(newOnIdle.Count == 10, $"expected all 10 new executions on the silo with none running; {newOnIdle.Count} went there, {10 - newOnIdle.Count} to the one running 10");
    }

    [Fact]
    public async Task ABurstOfStartsIsSpreadOverLevelSilos()
    {
        var runs = new Runs(Grains);
        var workflowId = await runs.PublishAsync(new JsonObject { ["wait"] = Node("test.block") });

        var started = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => runs.StartAsync(workflowId)));
        var onFirst = await HostedOnAsync(_cluster.Silos[0].SiloAddress, started);
        await CancelAllAsync(started);

        // Within one refresh interval each silo counts its own placements, so a burst alternates rather than piling on one silo.
        Assert.InRange(onFirst.Count, 7, 13);
    }

    private static async Task<IExecutionGrain> StartOnAsync(Runs runs, string workflowId, SiloAddress silo)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return await runs.StartAsync(workflowId);
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>Waits until every silo's placement view counts at least <paramref name="count"/> executions on <paramref name="silo"/>.</summary>
    private async Task EverySiloSeesAsync(SiloAddress silo, int count)
    {
        var tables = _cluster.Silos.Cast<InProcessSiloHandle>().Select(s => s.SiloHost.Services.GetRequiredService<ExecutionLoadTable>()).ToList();
        await Polling.UntilAsync(() => tables.All(t => t.Reported.GetValueOrDefault(silo) >= count), Deadline, TimeSpan.FromMilliseconds(50));

        Assert.True(tables.All(t => t.Reported.GetValueOrDefault(silo) >= count),
            $"expected every silo to see {count} executions on {silo}; they see {string.Join(", ", tables.Select(t => t.Reported.GetValueOrDefault(silo)))}");
    }

    private async Task<HashSet<IExecutionGrain>> HostedOnAsync(SiloAddress silo, IEnumerable<IExecutionGrain> executions)
    {
        var stats = await Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(hostsIds: [silo]);
        var hosted = stats.Select(s => s.GrainId.Key.ToString()).ToHashSet();
        return executions.Where(e => hosted.Contains(e.GetPrimaryKeyString())).ToHashSet();
    }

    private static async Task CancelAllAsync(IEnumerable<IExecutionGrain> executions)
    {
        foreach (var execution in executions)
        {
            await execution.CancelAsync("test over");
            await TerminalAsync(execution);
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AgentOrleans:Cluster:Dashboard"] = "false",
                ["AgentOrleans:Cluster:PlacementRefreshInterval"] = "00:00:00.200",
            }).Build();
            siloBuilder.AddAgentOrleansRuntime(configuration, AgentOrleansSiloExtensions.HostingOptions(configuration));
            siloBuilder.Services.AddTestSteps();
        }
    }
}
