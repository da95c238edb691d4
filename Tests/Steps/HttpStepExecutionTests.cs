using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Steps;

/// <summary>The http step running in the cluster against a real local server.</summary>
[Collection(ClusterCollection.Name)]
public sealed class HttpStepExecutionTests(ClusterFixture fixture, LocalHttpServer server) : IClassFixture<LocalHttpServer>
{
    private readonly Runs _workflows = new(fixture.Grains);

    private LocalHttpServer Server => server;

    private async Task<ExecutionSnapshot> RunAsync(string path, JsonObject? retry = null, string? timeout = null)
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["call"] = Node("http", new JsonObject { ["url"] = $"{Server.BaseUrl}{path}" }, timeout: timeout, retry: retry),
        });
        return await TerminalAsync(await _workflows.StartAsync(workflowId));
    }

    [Fact]
    public async Task AJsonAnswerBecomesTheNodeOutputAndTheIdempotencyKeyIsSent()
    {
        var key = NewId("k");

        var done = await RunAsync($"/ok/{key}");

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var output = JsonNode.Parse(done.ResultJson!)!["call"]!;
        Assert.Equal(200, output["status"]!.GetValue<int>());
        Assert.Equal("world", output["body"]!["hello"]!.GetValue<string>());
        Assert.Equal($"{done.Id}:call:1", Server.IdempotencyKeys[key]);
    }

    [Fact]
    public async Task ANotFoundAnswerFailsAtOnceWithoutRetrying()
    {
        var key = NewId("k");

        var done = await RunAsync($"/missing/{key}", retry: new JsonObject { ["maxAttempts"] = 3, ["initialDelay"] = "10ms" });

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal("HttpStatusError", done.Error!.Type);
        Assert.Equal(1, done.Error.Attempt);
        Assert.Equal(1, Server.Requests[key]);
    }

    [Fact]
    public async Task AServiceUnavailableAnswerIsRetriedUntilItRecovers()
    {
        var key = NewId("k");

        // The resilience pipeline tries 3 times per attempt; the 4th request, the node's second attempt, succeeds.
        var done = await RunAsync($"/flaky/{key}/3", retry: new JsonObject { ["maxAttempts"] = 3, ["initialDelay"] = "10ms" });

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal("recovered", JsonNode.Parse(done.ResultJson!)!["call"]!["body"]!.GetValue<string>());
        Assert.Equal(4, Server.Requests[key]);
    }

    [Fact]
    public async Task ANodeTimeoutAbortsTheRequest()
    {
        var key = NewId("k");

        var done = await RunAsync($"/hang/{key}", timeout: "300ms");

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal("StepTimeout", done.Error!.Type);
        await SignalAsync(Server.Aborted.GetOrAdd(key, _ => new()), "the server to see the request aborted");
    }

    [Fact]
    public async Task ARefusedDestinationFailsTheNodeAtOnceWithoutRetrying()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["call"] = Node(
                "http",
                new JsonObject { ["url"] = "http://169.254.169.254/latest/meta-data/iam?token=secret" },
                retry: new JsonObject { ["maxAttempts"] = 3, ["initialDelay"] = "10ms" }),
        });

        var done = await TerminalAsync(await _workflows.StartAsync(workflowId));

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal("DestinationNotAllowed", done.Error!.Type);
        Assert.Equal(1, done.Error.Attempt);
        Assert.Contains("169.254.169.254", done.Error.Message, StringComparison.Ordinal);
        Assert.Contains("link-local", done.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", done.Error.Message, StringComparison.Ordinal);
    }
}
