using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Telemetry;

[Collection(ApiCollection.Name)]
public sealed class TracingTests(ApiFactory factory) : IDisposable
{
    private static readonly ActivitySource Client = new("AgentOrleans.Tests");

    private readonly ApiClient _api = new(factory.CreateClient());
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = s => s.Name.StartsWith("AgentOrleans", StringComparison.Ordinal)
            || s.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
            || s.Name is "Microsoft.AspNetCore" or "System.Net.Http",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task TheRequestTheExecutionAndEachNodeShareTheTraceOfTheStartCall()
    {
        _listener.ActivityStopped = _stopped.Enqueue;
        ActivitySource.AddActivityListener(_listener);
        var workflowId = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count"), ["b"] = Node("test.count") });

        ActivityTraceId traceId;
        string id;
        using (var root = Client.StartActivity("client starts an execution"))
        {
            traceId = root!.TraceId;
            id = await _api.StartAsync(workflowId);
        }

        await _api.WaitTerminalAsync(id);
        // The server span of the POST (ASP.NET Core), the run's span and one span per node.
        string[] expected = ["Microsoft.AspNetCore", $"execution {workflowId}", "node a", "node b"];
        var names = await Polling.UntilAsync(
            () => Task.FromResult(_stopped.Where(a => a.TraceId == traceId).SelectMany(a => new[] { a.Source.Name, a.DisplayName }).ToList()),
            seen => expected.All(seen.Contains),
            Deadline,
            TimeSpan.FromMilliseconds(20));

        Assert.True(expected.All(names.Contains), $"expected spans {string.Join(", ", expected)} in trace {traceId}; saw {string.Join(", ", names)}");
    }
}
