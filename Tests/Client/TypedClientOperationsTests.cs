using System.Text.Json.Nodes;
using AgentOrleans.Client.Http;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Client;

/// <summary>The typed client's listing and operating calls against the real embedded Api: list, re-run, delete and the bulk actions.</summary>
[Collection(ApiCollection.Name)]
public sealed class TypedClientOperationsTests(ApiFactory factory)
{
    private readonly AgentOrleansClient _client = new(factory.CreateClient());
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task ExecutionsAreListedByLabelAndWorkflowsWithTheirLatestVersion()
    {
        var workflow = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var batch = NewId("batch");
        var labels = new Dictionary<string, string> { ["batch"] = batch };
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var started = await _client.StartAsync(new StartRequest(workflow) { Labels = labels });
            await _client.WaitAsync(started.Id, new CancellationTokenSource(Deadline).Token);
            ids.Add(started.Id);
        }

        var filter = new ExecutionFilter { Labels = labels, Statuses = ["succeeded"] };
        var listed = await Polling.UntilAsync(() => _client.ListExecutionsAsync(filter, limit: 2), p => p.NextCursor is not null, Deadline, TimeSpan.FromMilliseconds(50));
        var rest = await _client.ListExecutionsAsync(filter, listed.NextCursor, limit: 2);
        var all = new List<ExecutionListItem>();
        await foreach (var item in _client.ListAllExecutionsAsync(filter))
        {
            all.Add(item);
        }

        Assert.Equal(2, listed.Items.Count);
        Assert.Null(rest.NextCursor);
        Assert.Equal(ids.AsEnumerable().Reverse(), listed.Items.Concat(rest.Items).Select(e => e.Id));
        Assert.Equal(ids.AsEnumerable().Reverse(), all.Select(e => e.Id));
        Assert.All(all, e => Assert.Equal((workflow, "succeeded", batch), (e.WorkflowId, e.Status, e.Labels["batch"])));
        Assert.Empty((await _client.ListExecutionsAsync(new ExecutionFilter { Labels = labels, Statuses = ["failed"] })).Items);

        var workflows = new List<WorkflowListItem>();
        string? cursor = null;
        do
        {
            var page = await _client.ListWorkflowsAsync(cursor, 500);
            workflows.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(1, Assert.Single(workflows, w => w.Id == workflow).LatestVersion);
    }

    [Fact]
    public async Task AFailedRunIsReRunFromItsFailedNodeAndAnEndedOneDeleted()
    {
        var workflow = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count"), ["b"] = Node("test.flaky", new JsonObject { ["failures"] = 9, ["error"] = "Boom" }) });
        var original = await _client.StartAsync(new StartRequest(workflow));
        Assert.Equal("failed", (await _client.WaitAsync(original.Id, new CancellationTokenSource(Deadline).Token)).Status);

        var rerun = await _client.RerunAsync(original.Id, idempotencyKey: NewId("key"));
        var rerunEnded = await _client.WaitAsync(rerun.Id, new CancellationTokenSource(Deadline).Token);
        var refused = await Assert.ThrowsAsync<AgentOrleansProblemException>(() => _client.RerunAsync(original.Id, new RerunRequest("no-such-node")));

        Assert.Equal((original.Id, "b"), (rerun.RerunOf, rerun.FromNode));
        Assert.NotEqual(original.Id, rerun.Id);
        Assert.Equal("failed", rerunEnded.Status);
        Assert.Contains(refused.Errors, e => e.Pointer == "/fromNode");

        await _client.DeleteAsync(original.Id);
        await Assert.ThrowsAsync<AgentOrleansNotFoundException>(() => _client.GetAsync(original.Id));
    }

    [Fact]
    public async Task ABulkCancelActsOnItsFilterAndReportsItsProgress()
    {
        var workflow = await _api.PublishAsync(new JsonObject { ["ask"] = Node("wait", new JsonObject { ["signal"] = "go" }) });
        var labels = new Dictionary<string, string> { ["batch"] = NewId("batch") };
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await _client.StartAsync(new StartRequest(workflow) { Labels = labels })).Id);
        }

        var filter = new ExecutionFilter { Labels = labels };
        await Polling.UntilAsync(() => _client.ListExecutionsAsync(filter), p => p.Items.Count == 3, Deadline, TimeSpan.FromMilliseconds(50));
        var bulk = await _client.CancelManyAsync(filter, "typed client test", NewId("key"));
        var done = await Polling.UntilAsync(() => _client.GetBulkAsync(bulk.Id), b => b.IsCompleted, Deadline, TimeSpan.FromMilliseconds(50));

        Assert.Equal("cancel", bulk.Action);
        Assert.Equal((3L, 3L, "completed"), (done.Matched, done.Done, done.Status));
        foreach (var id in ids)
        {
            Assert.Equal("cancelled", (await _client.WaitAsync(id, new CancellationTokenSource(Deadline).Token)).Status);
        }
    }

    [Fact]
    public async Task WebhooksArePutListedReadWithTheirDeliveriesAndDeleted()
    {
        var id = NewId("hook");

        var created = await _client.PutWebhookAsync(id, new WebhookRequest("http://127.0.0.1:9/hook", ["execution.completed"]));
        var listed = await _client.ListWebhooksAsync();
        var fetched = await _client.GetWebhookAsync(id);
        var deliveries = await _client.GetWebhookDeliveriesAsync(id, 10);
        var refused = await Assert.ThrowsAsync<AgentOrleansProblemException>(() => _client.PutWebhookAsync(id, new WebhookRequest("ftp://example.com/", ["no.such.event"])));
        await _client.DeleteWebhookAsync(id);

        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        Assert.Null(fetched.Secret);
        Assert.Equal(["execution.completed"], fetched.Events);
        Assert.Contains(listed, w => w.Id == id && w.Secret is null);
        Assert.Empty(deliveries);
        Assert.Contains(refused.Errors, e => e.Pointer == "/url");
        await Assert.ThrowsAsync<AgentOrleansNotFoundException>(() => _client.GetWebhookAsync(id));
        Assert.DoesNotContain(await _client.ListWebhooksAsync(), w => w.Id == id);
    }
}
