using System.Globalization;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Webhooks;
using AgentOrleans.Tests.Webhooks;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

/// <summary>Webhook deliveries across a kill -9 on real PostgreSQL: every event's delivery arrives, repeats only under the same webhook-id.</summary>
[Collection(DistributedCollection.Name)]
public sealed class WebhookFailoverTests(DistributedFixture servers, ITestOutputHelper output)
{
    private static readonly string[] Subscribed = [EventTypes.ExecutionStarted, EventTypes.NodeCompleted, EventTypes.ExecutionCompleted];

    [Fact]
    public async Task KillingASiloMidRunLosesNoWebhookDelivery()
    {
        await using var receiver = new WebhookReceiverScope();
        await receiver.Receiver.InitializeAsync();
        await using var cluster = await servers.StartClusterAsync(3, Membership.Tuned, output, new Dictionary<string, string>
        {
            // The receiver listens on 127.0.0.1.
            ["AgentOrleans__Http__AllowPrivateNetworks"] = "true",
            ["AgentOrleans__Webhooks__FirstRetryDelay"] = "00:00:00.200",
            ["AgentOrleans__Webhooks__MaxRetryDelay"] = "00:00:01",
            ["AgentOrleans__Webhooks__RecoveryReminderPeriod"] = "00:00:02",
        });
        var runs = cluster.Runs;
        var workflowId = await runs.PublishDelayChainAsync(delays: 6, duration: "1s");
        var (url, secret) = receiver.Receiver.NewHook();
        var put = await DistributedRuns.RetryAsync(
            () => cluster.Client.GetGrain<IWebhookGrain>($"hook-{Guid.NewGuid():N}").PutAsync(new WebhookSpec(url, [.. Subscribed], workflowId, secret)),
            "configuring the webhook");
        Assert.True(put.Webhook is not null, string.Join("; ", put.Problems.Select(p => $"{p.Pointer}: {p.Message}")));

        var ids = await runs.StartManyAsync(workflowId, 30);
        Assert.True(await DistributedRuns.PollAsync(TimeSpan.FromSeconds(30), () => Task.FromResult(receiver.Receiver.For(url).Count >= 30)),
            $"expected the 30 execution.started deliveries before the kill, saw {receiver.Receiver.For(url).Count}");
        var (victim, hosted) = await cluster.BusiestSiloAsync(ids);
        Assert.True(hosted.Count > 0, "expected some of the 30 executions on one of the silos");
        victim.Kill();

        var snapshots = await runs.WaitAllTerminalAsync(ids, TimeSpan.FromSeconds(90));
        var expected = new HashSet<string>();
        foreach (var id in ids)
        {
            Assert.True(snapshots[id].Status == ExecutionStatus.Succeeded, $"expected {id} succeeded, saw {snapshots[id].Status}");
            expected.UnionWith((await runs.EventsAsync(id)).Where(e => Subscribed.Contains(e.Type)).Select(e => WebhookSigner.MessageId(id, e.Seq)));
        }

        HashSet<string> Delivered() => [.. receiver.Receiver.For(url).Where(r => r.Verified && r.Status == 204).Select(r => r.WebhookId)];
        Assert.True(await DistributedRuns.PollAsync(TimeSpan.FromSeconds(60), () => Task.FromResult(Delivered().IsSupersetOf(expected))),
            $"expected all {expected.Count} events delivered, {expected.Count - Delivered().Intersect(expected).Count()} missing\n{cluster.LogTails()}");

        var received = receiver.Receiver.For(url);
        Assert.All(received, r => Assert.True(r.Verified, $"delivery {r.WebhookId} failed its signature check"));
        Assert.Subset(expected, received.Select(r => r.WebhookId).ToHashSet());
        var repeats = received.Count(r => r.Status == 204) - expected.Count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kill -9 with a webhook: {hosted.Count} of 30 executions on the killed silo; {expected.Count} events delivered, {repeats} repeated (same webhook-id)"));
    }

    /// <summary>Disposes the receiver with the test (a class fixture would outlive the cluster).</summary>
    private sealed class WebhookReceiverScope : IAsyncDisposable
    {
        public WebhookReceiver Receiver { get; } = new();

        public async ValueTask DisposeAsync() => await Receiver.DisposeAsync();
    }
}
