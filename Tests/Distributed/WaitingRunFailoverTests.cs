using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Workflows;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

/// <summary>Runs waiting for a signal when the silo hosting them is killed: the signal still reaches them, on a survivor.</summary>
[Collection(DistributedCollection.Name)]
public sealed class WaitingRunFailoverTests(DistributedFixture servers, ITestOutputHelper output)
{
    [Theory]
    [InlineData("00:00:30")] // still in memory on the silo that dies
    [InlineData("00:00:00.200")] // already parked in PostgreSQL
    public async Task ASignalAfterKill9OfTheSiloHostingAWaitingRunContinuesItOnASurvivor(string parkAfter)
    {
        await using var cluster = await servers.StartClusterAsync(2, Membership.Tuned, output, new Dictionary<string, string>
        {
            ["AgentOrleans__Executions__ParkAfter"] = parkAfter,
        });
        var runs = cluster.Runs;
        var workflowId = await PublishWaitAsync(cluster);
        var ids = await runs.StartManyAsync(workflowId, 12);
        await Task.WhenAll(ids.Select(id => DistributedRuns.PollAsync(TimeSpan.FromSeconds(30), async () => (await runs.GetAsync(id))?.Status == ExecutionStatus.Waiting)));
        var (victim, hosted) = await cluster.BusiestSiloAsync(ids);
        if (parkAfter != "00:00:30")
        {
            // Parked runs have no silo; any one dying must not matter to them.
            await Task.WhenAll(ids.Select(id => DistributedRuns.PollAsync(TimeSpan.FromSeconds(30), async () => (await cluster.ExecutionsOnAsync(victim, [id])).Count == 0)));
        }
        else
        {
            Assert.True(hosted.Count > 0, "expected some of the 12 waiting executions in memory on one silo");
        }

        victim.Kill();
        var signals = await Task.WhenAll(ids.Select(id => DistributedRuns.RetryAsync(
            () => cluster.Client.GetGrain<IExecutionGrain>(id).SignalAsync(new SendSignal("go", """{"approved":true}""", $"{id}-go", "test")),
            $"signalling {id}")));
        var snapshots = await runs.WaitAllTerminalAsync(ids, TimeSpan.FromSeconds(60));

        Assert.All(signals, s => Assert.True(s.Outcome is SignalOutcome.Accepted or SignalOutcome.Duplicate, $"expected the signal accepted, saw {s.Outcome}: {s.Message}"));
        foreach (var id in ids)
        {
            Assert.True(snapshots[id].Status == ExecutionStatus.Succeeded, $"expected {id} succeeded, saw {snapshots[id].Status} {snapshots[id].Error?.Message}");
            Assert.True(JsonNode.Parse(snapshots[id].ResultJson!)!["ask"]!["approved"]!.GetValue<bool>(), $"expected {id}'s wait node to output the signal's payload");
            DistributedRuns.AssertCompleteLog(id, await runs.EventsAsync(id), maxStartsPerNode: 2);
        }

        output.WriteLine($"ParkAfter {parkAfter}: {hosted.Count} of 12 waiting runs were in memory on the killed silo; all 12 took their signal and succeeded");
    }

    private static async Task<string> PublishWaitAsync(SiloCluster cluster)
    {
        var id = $"wf-{Guid.NewGuid():N}";
        var definition = new JsonObject
        {
            ["id"] = id,
            ["start"] = "ask",
            ["nodes"] = new JsonObject
            {
                ["ask"] = new JsonObject { ["type"] = "wait", ["with"] = new JsonObject { ["signal"] = "go" } },
                ["done"] = new JsonObject { ["type"] = "transform", ["with"] = new JsonObject { ["set"] = new JsonObject { ["finished"] = true } } },
            },
            ["edges"] = new JsonArray(new JsonObject { ["from"] = "ask", ["to"] = "done" }),
        };
        var published = await DistributedRuns.RetryAsync(() => cluster.Client.GetGrain<IWorkflowDefinitionGrain>(id).PublishAsync(definition.ToJsonString()), $"publishing {id}");
        Assert.True(published.IsValid, string.Join("; ", published.Problems.Select(p => $"{p.Pointer}: {p.Message}")));
        return id;
    }
}
