using System.Text.Json.Nodes;
using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Client;

/// <summary>The all-executions follower resumed from a saved cursor: what happened while it was away arrives, nothing twice.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FollowAllResumeTests(ClusterFixture fixture)
{
    private readonly Runs _runs = new(fixture.Grains);

    [Fact]
    public async Task AFollowerStoppedMidDrainAndResumedFromItsCursorSeesEveryEventExactlyOnce()
    {
        var workflowId = await _runs.PublishAsync(new JsonObject { ["a"] = Node("test.count"), ["b"] = Node("test.count"), ["c"] = Node("test.count") });
        var prefix = NewId("resume");
        var cursor = await CursorAtTheFeedsEndsAsync();
        var events = new OrleansExecutionEvents(fixture.Cluster.Client) { LogPollInterval = TimeSpan.FromMilliseconds(200) };
        var mine = new List<IExecutionGrain>();
        for (var i = 0; i < 10; i++)
        {
            mine.Add(await _runs.StartAsync(workflowId, executionId: $"{prefix}-{i}"));
        }

        // First life: stops after 20 of its events, mid-way through the runs, with the cursor saved after each one.
        var seen = new List<ExecutionEvent>();
        var saved = cursor.Serialize();
        using (var deadline = new CancellationTokenSource(Deadline))
        {
            await foreach (var e in events.FollowAllAsync(cursor, deadline.Token))
            {
                if (e.ExecutionId.StartsWith(prefix, StringComparison.Ordinal))
                {
                    seen.Add(e);
                }

                saved = cursor.Serialize();
                if (seen.Count == 20)
                {
                    break;
                }
            }
        }

        // While nobody follows: the rest of those runs, and five more from start to end.
        for (var i = 10; i < 15; i++)
        {
            mine.Add(await _runs.StartAsync(workflowId, executionId: $"{prefix}-{i}"));
        }

        foreach (var execution in mine)
        {
            Assert.Equal(ExecutionStatus.Succeeded, (await TerminalAsync(execution)).Status);
        }

        // Second life, from the saved cursor, until every run's end has been seen.
        var ended = seen.Where(e => e.IsTerminal).Select(e => e.ExecutionId).ToHashSet();
        using (var deadline = new CancellationTokenSource(Deadline))
        {
            await foreach (var e in events.FollowAllAsync(FollowAllCursor.Parse(saved), deadline.Token))
            {
                if (!e.ExecutionId.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                seen.Add(e);
                if (e.IsTerminal && ended.Add(e.ExecutionId) && ended.Count == mine.Count)
                {
                    break;
                }
            }
        }

        Assert.Equal(mine.Count, ended.Count);
        foreach (var execution in mine)
        {
            var id = execution.GetPrimaryKeyString();
            var log = await EventsAsync(execution);
            Assert.Equal(log.Select(e => e.Seq), seen.Where(e => e.ExecutionId == id).Select(e => e.Seq));
        }
    }

    [Fact]
    public void ACursorReadsBackAsItWasSaved()
    {
        var cursor = new FollowAllCursor();
        cursor.Partitions["3"] = 17;
        cursor.Executions["t/ex-1"] = 9;

        var back = FollowAllCursor.Parse(cursor.Serialize());

        Assert.Equal(17, back.Partitions["3"]);
        Assert.Equal(9, back.Executions["t/ex-1"]);
        Assert.False(back.FromNow);
    }

    private async Task<FollowAllCursor> CursorAtTheFeedsEndsAsync()
    {
        var cursor = new FollowAllCursor();
        foreach (var key in StreamNames.PartitionKeys())
        {
            cursor.Partitions[key] = (await fixture.Grains.GetGrain<IExecutionFeedGrain>(key).ReadAsync(long.MaxValue, 0)).Last;
        }

        return cursor;
    }
}
