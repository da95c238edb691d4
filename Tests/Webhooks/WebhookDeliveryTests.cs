using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Webhooks;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Webhooks;

/// <summary>Webhooks on the test cluster, each test in a tenant of its own, delivering to a receiver that checks signatures itself.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WebhookDeliveryTests(ClusterFixture fixture, WebhookReceiver receiver) : IClassFixture<WebhookReceiver>
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task EverySubscribedEventArrivesSignedOnceWithItsStableIdAndOnlyToItsTenantsMatchingWebhooks()
    {
        var tenant = NewTenant();
        var (url, secret) = receiver.NewHook();
        var (otherWorkflowUrl, otherWorkflowSecret) = receiver.NewHook();
        var (otherTenantUrl, otherTenantSecret) = receiver.NewHook();
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Node("test.count"), ["b"] = Node("test.count") }, tenant: tenant);
        string[] subscribed = [EventTypes.ExecutionStarted, EventTypes.NodeCompleted, EventTypes.ExecutionCompleted];
        var hook = await PutAsync(tenant, "hook", new WebhookSpec(url, [.. subscribed], null, secret));
        var otherWorkflow = await PutAsync(tenant, "other-workflow", new WebhookSpec(otherWorkflowUrl, [.. subscribed], "no-such-workflow", otherWorkflowSecret));
        var otherTenant = await PutAsync(NewTenant(), "hook", new WebhookSpec(otherTenantUrl, [.. subscribed], null, otherTenantSecret));

        var executionKey = TenantKey.Scope(tenant, NewId("ex"));
        var execution = await _workflows.StartAsync(workflowId, executionId: executionKey);
        Assert.Equal(ExecutionStatus.Succeeded, (await TerminalAsync(execution)).Status);

        var expected = (await EventsAsync(execution)).Where(e => subscribed.Contains(e.Type)).ToList();
        var received = await Polling.UntilAsync(() => Task.FromResult(receiver.For(url)), r => r.Count >= expected.Count, Deadline, Poll);
        Assert.Equal(4, expected.Count);
        Assert.True(received.All(r => r.Verified && r.Status == 204), $"every delivery verified and answered 204; saw {string.Join(", ", received.Select(r => $"{r.Verified}/{r.Status}"))}");
        Assert.Equal(expected.Select(e => WebhookSigner.MessageId(executionKey, e.Seq)).Order(), received.Select(r => r.WebhookId).Order());
        var bodies = received.Select(r => JsonNode.Parse(r.Body)!).OrderBy(b => b["data"]!["seq"]!.GetValue<long>()).ToList();
        Assert.Equal(expected.Select(e => e.Type), bodies.Select(b => b["type"]!.GetValue<string>()));
        Assert.All(bodies, b => Assert.Equal(TenantKey.Parse(executionKey).Id, b["data"]!["executionId"]!.GetValue<string>()));

        var deliveries = await Polling.UntilAsync(() => hook.GetDeliveriesAsync(50), d => d!.All(x => x.Status == WebhookDeliveryStatus.Delivered), Deadline, Poll);
        Assert.Equal(4, deliveries!.Count);
        Assert.All(deliveries, d => Assert.Equal(204, Assert.Single(d.Attempts).StatusCode));

        // Every hand-over is done before the run reports its end, so what these two would have had is there by now.
        Assert.Empty((await otherWorkflow.GetDeliveriesAsync(50))!);
        Assert.Empty((await otherTenant.GetDeliveriesAsync(50))!);
        Assert.Empty(receiver.For(otherWorkflowUrl));
        Assert.Empty(receiver.For(otherTenantUrl));
    }

    [Fact]
    public async Task AReceiverThatFailsIsTriedAgainWithTheSameWebhookIdUntilItAnswers()
    {
        var tenant = NewTenant();
        var (url, secret) = receiver.NewHook(failFirst: 2);
        var hook = await PutAsync(tenant, "flaky", new WebhookSpec(url, [EventTypes.ExecutionCompleted], null, secret));
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Node("test.count") }, tenant: tenant);

        await TerminalAsync(await _workflows.StartAsync(workflowId, executionId: TenantKey.Scope(tenant, NewId("ex"))));

        var deliveries = await Polling.UntilAsync(() => hook.GetDeliveriesAsync(50), d => d is [{ Status: WebhookDeliveryStatus.Delivered }], Deadline, Poll);
        var delivery = Assert.Single(deliveries!);
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
        Assert.Equal([500, 500, 204], delivery.Attempts.Select(a => a.StatusCode));
        var received = receiver.For(url);
        Assert.Equal(3, received.Count);
        Assert.Single(received.Select(r => r.WebhookId).Distinct());
    }

    [Fact]
    public async Task ADeliveryStillRefusedAfterGiveUpAfterIsMarkedFailed()
    {
        var tenant = NewTenant();
        var (url, secret) = receiver.NewHook(failFirst: int.MaxValue);
        var hook = await PutAsync(tenant, "down", new WebhookSpec(url, [EventTypes.ExecutionCompleted], null, secret));
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Node("test.count") }, tenant: tenant);

        await TerminalAsync(await _workflows.StartAsync(workflowId, executionId: TenantKey.Scope(tenant, NewId("ex"))));

        var deliveries = await Polling.UntilAsync(() => hook.GetDeliveriesAsync(50), d => d is [{ Status: WebhookDeliveryStatus.Failed }], Deadline, Poll);
        var delivery = Assert.Single(deliveries!);
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.True(delivery.Attempts.Count >= 3, $"tried at least three times within GiveUpAfter (1.5 s, retries 0.1 s then 0.2 s); tried {delivery.Attempts.Count}");
        Assert.All(delivery.Attempts, a => Assert.Equal(500, a.StatusCode));
        Assert.Null(delivery.NextAttemptAt);
    }

    [Fact]
    public async Task TheSameEventHandedOverTwiceIsDeliveredOnce()
    {
        var (url, secret) = receiver.NewHook();
        var hook = await PutAsync(NewTenant(), "twice", new WebhookSpec(url, [EventTypes.ExecutionCompleted], null, secret));
        var message = WebhookPayload.Message("some-execution", new ExecutionEvent(3, EventTypes.ExecutionCompleted, DateTimeOffset.UtcNow, "some-execution", null, null, "{}"));

        Assert.True(await hook.EnqueueAsync([message]));
        Assert.True(await hook.EnqueueAsync([message]));

        var deliveries = await Polling.UntilAsync(() => hook.GetDeliveriesAsync(50), d => d is [{ Status: WebhookDeliveryStatus.Delivered }], Deadline, Poll);
        Assert.Single(deliveries!);
        Assert.Single(receiver.For(url));
    }

    [Fact]
    public async Task TheSecretIsNeverShownAndAGeneratedOneOnlyOnce()
    {
        var (url, _) = receiver.NewHook();
        var hook = fixture.Grains.GetGrain<IWebhookGrain>(TenantKey.Scope(NewTenant(), "made"));

        var created = await hook.PutAsync(new WebhookSpec(url, [EventTypes.ExecutionFailed], null, null));
        var replaced = await hook.PutAsync(new WebhookSpec(url, [EventTypes.ExecutionFailed, EventTypes.ExecutionCompleted], null, null));

        Assert.True(created.Created);
        Assert.StartsWith(WebhookSigner.SecretPrefix, created.GeneratedSecret, StringComparison.Ordinal);
        Assert.True(WebhookSigner.TryReadSecret(created.GeneratedSecret!, out _));
        Assert.False(replaced.Created);
        Assert.Null(replaced.GeneratedSecret);
        Assert.Equal([EventTypes.ExecutionFailed, EventTypes.ExecutionCompleted], (await hook.GetAsync())!.Events);
    }

    private async Task<IWebhookGrain> PutAsync(string tenant, string id, WebhookSpec spec)
    {
        var hook = fixture.Grains.GetGrain<IWebhookGrain>(TenantKey.Scope(tenant, id));
        var put = await hook.PutAsync(spec);
        Assert.True(put.Webhook is not null, string.Join("; ", put.Problems.Select(p => $"{p.Pointer}: {p.Message}")));
        return hook;
    }

    private static string NewTenant() => $"wh-{Guid.NewGuid():N}"[..20];
}
