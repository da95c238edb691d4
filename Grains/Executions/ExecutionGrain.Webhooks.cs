using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The webhook outbox: the events a checkpoint makes durable that a webhook of the execution's tenant subscribes to are
/// put in the state that checkpoint writes, so a crash loses none; once written they are handed to each webhook's grain
/// (which stores them before it answers) and dropped. A hand-over that fails is tried again by the next checkpoint or
/// the <c>webhooks</c> reminder; one repeated after a crash is deduplicated by the webhook-id.
/// </summary>
internal sealed partial class ExecutionGrain
{
    private const string WebhookReminder = "webhooks";

    private WebhookSubscriptions? _webhookSubscriptions;
    private long _outboxedThrough;

    /// <summary>Before a write, under the commit lock: matches the events not yet matched. A tenant without webhooks costs a dictionary lookup.</summary>
    private async ValueTask FillOutboxAsync()
    {
        if (_transitions.Unpublished is not { Count: > 0 } events || events[^1].Seq <= _outboxedThrough)
        {
            return;
        }

        _webhookSubscriptions ??= services.GetRequiredService<WebhookSubscriptions>();
        var subscriptions = await _webhookSubscriptions.ForTenantAsync(TenantKey.TenantOf(ExecutionId));

        // No await from here to the write: what is matched is exactly what the write makes durable.
        foreach (var e in _transitions.Unpublished)
        {
            if (e.Seq <= _outboxedThrough)
            {
                continue;
            }

            foreach (var subscription in subscriptions)
            {
                if (subscription.Matches(e.Type, Execution.WorkflowId))
                {
                    Execution.WebhookOutbox.Add(new WebhookOutboxEntry(subscription.WebhookKey, WebhookPayload.Message(ExecutionId, e)));
                }
            }

            _outboxedThrough = e.Seq;
        }
    }

    /// <summary>After a write: hands what the outbox holds to the webhooks; what they took leaves it.</summary>
    private async Task HandOffOutboxAsync()
    {
        if (Execution.WebhookOutbox.Count == 0)
        {
            return;
        }

        var handed = new HashSet<WebhookOutboxEntry>(ReferenceEqualityComparer.Instance);
        foreach (var webhook in Execution.WebhookOutbox.GroupBy(e => e.WebhookKey).ToList())
        {
            try
            {
                if (await GrainFactory.GetGrain<IWebhookGrain>(webhook.Key).EnqueueAsync([.. webhook.Select(e => e.Message)]))
                {
                    handed.UnionWith(webhook);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                WebhookLog.HandOffFailed(logger, ExecutionId, webhook.Key, ex.GetBaseException().Message);
            }
        }

        Execution.WebhookOutbox.RemoveAll(handed.Contains);
        if (Execution.WebhookOutbox.Count > 0)
        {
            await EnsureOutboxReminderAsync();
        }
        else if (handed.Count > 0 && Execution.Status.IsTerminal())
        {
            // A finished run writes nothing more that would carry the emptied outbox; without this every later
            // activation would hand it over again (harmless, deduplicated, but a call per webhook each time).
            await WriteOutboxAsync();
        }
    }

    /// <summary>
    /// A reminder tick: the outbox and an ended run's feed note first (a crash between a write and what follows it leaves
    /// them undone); true when the tick was the outbox's own.
    /// </summary>
    private async Task<bool> OnOutboxReminderAsync(string reminderName)
    {
        await HandOffOutboxAsync();
        if (Execution.Status.IsTerminal())
        {
            await NoteActivityAsync();
        }

        if (reminderName != WebhookReminder)
        {
            return false;
        }

        if (Execution.WebhookOutbox.Count == 0 && _notedStatus == _durableStatus && await this.GetReminder(WebhookReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        return true;
    }

    private async Task EnsureOutboxReminderAsync()
    {
        try
        {
            await this.RegisterOrUpdateReminder(WebhookReminder, WebhookPeriod, WebhookPeriod);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The next checkpoint hands the outbox over anyway; only a run that has ended needs the reminder.
            WebhookLog.HandOffFailed(logger, ExecutionId, "(reminder)", ex.GetBaseException().Message);
        }
    }

    private TimeSpan WebhookPeriod => services.GetRequiredService<IOptions<WebhookOptions>>().Value.RecoveryReminderPeriod;

    private async Task WriteOutboxAsync()
    {
        await _commitLock.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            WebhookLog.HandOffFailed(logger, ExecutionId, "(outbox write)", ex.GetBaseException().Message);
        }
        finally
        {
            _commitLock.Release();
        }
    }

    private static partial class WebhookLog
    {
        [LoggerMessage(6501, LogLevel.Warning, "Execution {ExecutionId}: handing events to webhook {WebhookKey} failed ({Reason}); they stay in the outbox and are offered again")]
        public static partial void HandOffFailed(ILogger logger, string executionId, string webhookKey, string reason);
    }
}
