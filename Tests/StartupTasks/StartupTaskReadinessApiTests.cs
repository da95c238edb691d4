using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;

namespace AgentOrleans.Tests.StartupTasks;

/// <summary>Startup tasks in the embedded Api: triggered by its silo, followed by <c>/readyz</c>, ordinary executions.</summary>
public sealed class StartupTaskReadinessApiTests(StartupTaskApiFactory factory) : IClassFixture<StartupTaskApiFactory>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly ApiClient _api = new(factory.CreateClient());

    private async Task<(HttpStatusCode Status, JsonNode Body)> ReadyAsync()
    {
        var response = await _api.Http.GetAsync("/readyz");
        return (response.StatusCode, await ApiClient.JsonAsync(response));
    }

    private static JsonNode? TaskIn(JsonNode body, string name) =>
        body["startupTasks"]?.AsArray().FirstOrDefault(t => t!["name"]!.GetValue<string>() == name);

    private static string? StatusOf(JsonNode body, string name) => TaskIn(body, name)?["status"]?.GetValue<string>();

    private async Task<(HttpStatusCode Status, JsonNode Body)> ReadyWhenAsync(Func<(HttpStatusCode Status, JsonNode Body), bool> done, string expected)
    {
        var seen = await Polling.UntilAsync(ReadyAsync, done, Runs.Deadline, Interval);
        Assert.True(done(seen), $"expected {expected}; /readyz last answered {(int)seen.Status} {seen.Body.ToJsonString()}");
        return seen;
    }

    private async Task PublishAsync(string id, JsonObject nodes)
    {
        var definition = new JsonObject { ["id"] = id, ["start"] = nodes.First().Key, ["nodes"] = nodes, ["edges"] = new JsonArray() };
        var response = await _api.PutJsonAsync($"/v1/workflows/{id}", definition.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, $"publishing {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task ReadinessIs503NamingTheGatingTaskUntilItSucceedsThen200()
    {
        var before = await ReadyWhenAsync(r => StatusOf(r.Body, StartupTaskApiFactory.Gate) is not null, "the gate task listed");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.Status);
        Assert.Equal("pending", StatusOf(before.Body, StartupTaskApiFactory.Gate));
        Assert.Contains("gate (pending)", before.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        await PublishAsync(StartupTaskApiFactory.GateWorkflow, new JsonObject
        {
            ["hold"] = new JsonObject { ["type"] = "wait", ["with"] = new JsonObject { ["signal"] = "go", ["timeout"] = "10m" } },
        });
        var running = await ReadyWhenAsync(r => StatusOf(r.Body, StartupTaskApiFactory.Gate) == "running", "the gate task running");
        var executionId = TaskIn(running.Body, StartupTaskApiFactory.Gate)!["executionId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, running.Status);
        Assert.Contains("gate (running)", running.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // An ordinary execution: its status and events are read, and it is signalled, through the API.
        var execution = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{executionId}"));
        Assert.Equal("tests", execution["input"]?["reason"]?.GetValue<string>());
        var signalled = await _api.PostJsonAsync($"/v1/executions/{executionId}/signals/go", "{}");
        Assert.True(signalled.IsSuccessStatusCode, $"signalling {executionId}: {(int)signalled.StatusCode} {await signalled.Content.ReadAsStringAsync()}");

        var ready = await ReadyWhenAsync(r => r.Status == HttpStatusCode.OK, "/readyz 200 once the gate task succeeded");
        Assert.Equal("succeeded", StatusOf(ready.Body, StartupTaskApiFactory.Gate));
        var events = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{executionId}/events?after=0"));
        Assert.Equal("execution.completed", events["events"]!.AsArray()[^1]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task AFailingTaskShowsItsErrorAfterRetryingPerItsWorkflowsPolicy()
    {
        await PublishAsync(StartupTaskApiFactory.BrokenWorkflow, new JsonObject
        {
            ["load"] = new JsonObject
            {
                ["type"] = "test.flaky",
                ["with"] = new JsonObject { ["failures"] = 10, ["error"] = "SeedFailed" },
                ["retry"] = new JsonObject { ["maxAttempts"] = 2, ["initialDelay"] = "10ms" },
            },
        });

        var seen = await ReadyWhenAsync(r => StatusOf(r.Body, StartupTaskApiFactory.Broken) == "failed", "the broken task failed");

        var broken = TaskIn(seen.Body, StartupTaskApiFactory.Broken)!;
        Assert.Equal("failed at node load, attempt 2: SeedFailed: attempt 2 fails on purpose", broken["error"]!.GetValue<string>());
        Assert.False(broken["gatesReadiness"]!.GetValue<bool>());
        var events = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{broken["executionId"]!.GetValue<string>()}/events?after=0"));
        Assert.Equal(1, events["events"]!.AsArray().Count(e => e!["type"]!.GetValue<string>() == "node.retrying"));
    }
}
