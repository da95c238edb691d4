using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Client.Http;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Client;

/// <summary>The typed .NET client against the real embedded Api: each call, its answers, and the problems it turns into exceptions.</summary>
[Collection(ApiCollection.Name)]
public sealed class TypedClientTests(ApiFactory factory)
{
    private readonly AgentOrleansClient _client = new(factory.CreateClient());

    private async Task<string> PublishAsync(JsonObject nodes)
    {
        var id = NewId("wf");
        var names = nodes.Select(n => n.Key).ToList();
        var edges = new JsonArray(names.Zip(names.Skip(1), (a, b) => (JsonNode)new JsonObject { ["from"] = a, ["to"] = b }).ToArray());
        var published = await _client.PublishWorkflowAsync(id, new JsonObject { ["id"] = id, ["start"] = names[0], ["nodes"] = nodes, ["edges"] = edges }.ToJsonString());
        Assert.Equal((id, 1, true), (published.Id, published.Version, published.Created));
        return id;
    }

    [Fact]
    public async Task AStartedRunIsWaitedForAndWatchedToItsEnd()
    {
        var workflow = await PublishAsync(new JsonObject { ["a"] = Node("test.count"), ["b"] = Node("test.count") });

        var started = await _client.StartAsync(new StartRequest(workflow, new JsonObject { ["n"] = 1 }), idempotencyKey: NewId("key"));
        var done = await _client.WaitAsync(started.Id, new CancellationTokenSource(Deadline).Token);
        var events = new List<long>();
        await foreach (var e in _client.WatchAsync(started.Id, cancellationToken: new CancellationTokenSource(Deadline).Token))
        {
            events.Add(e.Seq);
        }

        Assert.Equal("succeeded", done.Status);
        Assert.True(done.IsTerminal);
        Assert.Equal(1, done.Input!["n"]!.GetValue<int>());
        Assert.Equal(Enumerable.Range(1, (int)done.LastSeq).Select(i => (long)i), events);
        Assert.Equal(1, (await _client.GetWorkflowAsync(workflow))["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task TheSameIdempotencyKeyStartsOneExecution()
    {
        var workflow = await PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var key = NewId("key");

        var first = await _client.StartAsync(new StartRequest(workflow), key);
        var second = await _client.StartAsync(new StartRequest(workflow), key);

        Assert.Equal(first.Id, second.Id);
    }

    [Fact]
    public async Task ProblemsBecomeExceptionsCarryingEveryError()
    {
        var missing = await Assert.ThrowsAsync<AgentOrleansNotFoundException>(() => _client.GetAsync(NewId("nope")));
        var invalid = await Assert.ThrowsAsync<AgentOrleansProblemException>(() => _client.StartAsync(new StartRequest("") { Priority = -1, StartAfter = "soon" }));
        var badDefinition = await Assert.ThrowsAsync<AgentOrleansProblemException>(() => _client.PublishWorkflowAsync("x", """{"id": "x", "nodes": {}}"""));

        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Contains(invalid.Errors, e => e.Pointer == "/workflowId");
        Assert.Contains(invalid.Errors, e => e.Pointer == "/startAfter");
        Assert.Contains("/workflowId", invalid.Message, StringComparison.Ordinal);
        Assert.NotEmpty(badDefinition.Errors);
    }

    [Fact]
    public async Task SignalsPauseResumeAndCancelReachTheRun()
    {
        var workflow = await PublishAsync(new JsonObject { ["ask"] = Node("wait", new JsonObject { ["signal"] = "go" }), ["then"] = Node("test.block") });
        var id = (await _client.StartAsync(new StartRequest(workflow))).Id;
        await Polling.UntilAsync(() => _client.GetAsync(id), e => e.Status == "waiting", Deadline, TimeSpan.FromMilliseconds(20));

        var waiting = await _client.GetAsync(id);
        var paused = await _client.PauseAsync(id);
        var resumed = await _client.ResumeAsync(id);
        var signalled = await _client.SignalAsync(id, "go", new JsonObject { ["ok"] = true }, idempotencyKey: "go-1");
        var again = await _client.SignalAsync(id, "go", new JsonObject { ["ok"] = true }, idempotencyKey: "go-1");
        await Polling.UntilAsync(() => _client.GetAsync(id), e => e.CurrentNode?.Id == "then", Deadline, TimeSpan.FromMilliseconds(20));
        var cancel = await _client.CancelAsync(id, "enough");
        var done = await _client.WaitAsync(id, new CancellationTokenSource(Deadline).Token);
        var late = await _client.CancelAsync(id);

        Assert.Equal("go", Assert.Single(waiting.WaitingFor!).Signal);
        Assert.True(paused.Changed);
        Assert.True(resumed.Changed);
        Assert.True(signalled.Taken);
        Assert.NotNull(signalled.SignalId);
        Assert.False(again.Taken);
        Assert.True(cancel.Accepted);
        Assert.Equal("cancelled", done.Status);
        Assert.False(late.Accepted);
    }

    [Fact]
    public async Task SchedulesAreCreatedReadTriggeredPausedAndDeleted()
    {
        var workflow = await PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var id = NewId("sched");

        var created = await _client.PutScheduleAsync(id, new JsonObject { ["workflowId"] = workflow, ["every"] = "1h", ["paused"] = true });
        var fire = await _client.TriggerScheduleAsync(id);
        var resumed = await _client.ResumeScheduleAsync(id);
        var read = await _client.GetScheduleAsync(id);
        var paused = await _client.PauseScheduleAsync(id);
        var page = await _client.ListSchedulesAsync(limit: 500);
        await _client.DeleteScheduleAsync(id);

        Assert.Equal((workflow, "1h", "paused"), (created.WorkflowId, created.Every, created.State));
        Assert.True(fire.Manual);
        Assert.NotNull(fire.ExecutionId);
        Assert.Equal("succeeded", (await _client.WaitAsync(fire.ExecutionId!, new CancellationTokenSource(Deadline).Token)).Status);
        Assert.Equal("active", resumed.State);
        Assert.Equal("paused", paused.State);
        Assert.Equal(5, read.NextFires.Count);
        Assert.Contains(read.LastFires, f => f.ExecutionId == fire.ExecutionId);
        Assert.True(page.Items.Any(s => s.Id == id) || page.Next is not null, "expected the schedule on its list");
        await Assert.ThrowsAsync<AgentOrleansNotFoundException>(() => _client.GetScheduleAsync(id));
    }

    [Fact]
    public async Task TheRegisteredClientSendsItsKeyToItsBaseAddress()
    {
        var recorder = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddAgentOrleansClient(o => { o.BaseAddress = new Uri("http://127.0.0.1:9/api"); o.ApiKey = "ao_test"; })
            .ConfigurePrimaryHttpMessageHandler(() => recorder);
        await using var provider = services.BuildServiceProvider();

        var problem = await Assert.ThrowsAsync<AgentOrleansProblemException>(() => provider.GetRequiredService<AgentOrleansClient>().GetAsync("e1"));

        Assert.Equal("http://127.0.0.1:9/api/v1/executions/e1", recorder.Seen!.RequestUri!.AbsoluteUri);
        Assert.Equal("Bearer ao_test", recorder.Seen.Headers.Authorization!.ToString());
        Assert.Equal(HttpStatusCode.TooManyRequests, problem.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), problem.RetryAfter);
        Assert.Equal("slow down", problem.Detail);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public HttpRequestMessage? Seen { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen = request;
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
            {
                Content = new StringContent("""{"title":"Too many","detail":"slow down"}""", System.Text.Encoding.UTF8, "application/problem+json"),
            };
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return Task.FromResult(response);
        }
    }
}
