using System.Globalization;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

/// <summary>
/// Figures for the placement decision (docs/decisions.md#placement-by-execution-load), not pass/fail targets: two silo processes on this
/// machine, 20 executions (a 60 s delay each) placed on the first, then 20 more started without a
/// hint; where do they go? Both load-aware placements read statistics refreshed about every second,
/// so the method first waits until those statistics show the silos as they are. And how does a burst
/// of 20 starts split over two level silos?
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class PlacementFigures(DistributedFixture servers, ITestOutputHelper output)
{
    [Theory, Trait("Category", "Figures")]
    [InlineData("ExecutionLoad")]
    [InlineData("ResourceOptimized")]
    [InlineData("Random")]
    public async Task WhereNewExecutionsGoWhenOneSiloIsLoaded(string placement)
    {
        await using var cluster = await servers.StartClusterAsync(2, Membership.Tuned, output, new Dictionary<string, string>
        {
            ["AgentOrleans__Cluster__Placement"] = placement,
            // The executions' one-minute delays are the load: they stay in memory instead of sleeping out of it.
            ["AgentOrleans__Executions__ParkAfter"] = "00:05:00",
        });
        var runs = cluster.Runs;
        var silos = await cluster.ActiveSilosAsync();
        var (loaded, other) = (cluster.Silos[0], cluster.Silos[1]);
        var workflowId = await runs.PublishDelayChainAsync(delays: 1, duration: "60s");
        var load = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            load.Add(await runs.StartOnAsync(workflowId, silos[loaded.SiloPort]));
        }

        Assert.Equal(20, (await cluster.ExecutionsOnAsync(loaded, load)).Count);
        await StatisticsShowAsync(cluster, placement, silos[loaded.SiloPort], atLeast: 20);
        var placed = await runs.StartManyAsync(workflowId, 20);
        var toOther = (await cluster.ExecutionsOnAsync(other, placed)).Count;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{placement}: with 20 executions running on one silo and none on the other, {toOther} of 20 new executions went to the other"));
    }

    [Theory, Trait("Category", "Figures")]
    [InlineData("ExecutionLoad")]
    [InlineData("ResourceOptimized")]
    [InlineData("Random")]
    public async Task HowABurstSplitsOverLevelSilos(string placement)
    {
        await using var cluster = await servers.StartClusterAsync(2, Membership.Tuned, output, new Dictionary<string, string>
        {
            ["AgentOrleans__Cluster__Placement"] = placement,
            // The executions' one-minute delays are the load: they stay in memory instead of sleeping out of it.
            ["AgentOrleans__Executions__ParkAfter"] = "00:05:00",
        });
        var runs = cluster.Runs;
        var workflowId = await runs.PublishDelayChainAsync(delays: 1, duration: "60s");
        var silos = await cluster.ActiveSilosAsync();
        await StatisticsShowAsync(cluster, placement, silos[cluster.Silos[1].SiloPort], atLeast: 0);

        var placed = await runs.StartManyAsync(workflowId, 20);
        var split = await Task.WhenAll(cluster.Silos.Select(async s => (await cluster.ExecutionsOnAsync(s, placed)).Count));

        output.WriteLine($"{placement}: a burst of 20 starts on two level silos split {split[0]}/{split[1]}");
    }

    /// <summary>
    /// Polls until what the placement reads shows <paramref name="silo"/> with at least
    /// <paramref name="atLeast"/> executions and every silo reporting: the ExecutionLoad table, or for
    /// ResourceOptimized the runtime statistics Orleans gathers (Random reads nothing).
    /// </summary>
    private static async Task StatisticsShowAsync(SiloCluster cluster, string placement, SiloAddress silo, int atLeast)
    {
        var shown = placement switch
        {
            "ExecutionLoad" => await DistributedRuns.PollAsync(TimeSpan.FromSeconds(30), async () =>
            {
                var table = await cluster.Client.GetGrain<AgentOrleans.Grains.Placement.IExecutionLoadGrain>(AgentOrleans.Grains.Placement.IExecutionLoadGrain.GlobalKey).GetAsync();
                return table.Count == cluster.Silos.Count && table.GetValueOrDefault(silo) >= atLeast;
            }),
            "ResourceOptimized" => await DistributedRuns.PollAsync(TimeSpan.FromSeconds(30), async () =>
            {
                var statistics = await cluster.Client.GetGrain<IManagementGrain>(0).GetRuntimeStatistics([silo]);
                return statistics.Length == 1 && statistics[0].ActivationCount >= atLeast;
            }),
            _ => true,
        };
        Assert.True(shown, $"expected the {placement} statistics to show {silo} with at least {atLeast} executions within 30 s");
    }
}
