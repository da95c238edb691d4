namespace AgentOrleans.Grains.Webhooks;

/// <summary>
/// Deliveries: taken durably, sent by a pump on this activation (attempts run on the thread pool, so calls are answered
/// meanwhile), retried on <see cref="RetrySchedule"/>, and brought back after a silo loss by a reminder that is kept
/// while anything is pending.
/// </summary>
internal sealed partial class WebhookGrain
{
    private const string RecoveryReminder = "deliver";

    private Task? _pump;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HashSet<string>? _known;
    private bool _reminderRegistered;

    public async Task<bool> EnqueueAsync(List<WebhookMessage> messages)
    {
        if (!Webhook.Exists)
        {
            // Deleted (or never made): what was matched for it before the silos heard is dropped, not kept for ever.
            return true;
        }

        if (Webhook.Pending.Count >= _options.MaxPendingDeliveries)
        {
            // Refused whole: the executions keep their outboxes and hand them over again later, so nothing is lost.
            return false;
        }

        _known ??= [.. Webhook.Pending.Select(d => d.Message.Id), .. Webhook.Finished.Select(d => d.Message.Id)];
        var now = time.GetUtcNow();
        var added = 0;
        foreach (var message in messages)
        {
            if (_known.Add(message.Id))
            {
                Webhook.Pending.Add(new WebhookDelivery { Message = message, CreatedAt = now, NextAttemptAt = now });
                added++;
            }
        }

        if (added > 0)
        {
            await WriteAsync();
            await EnsureReminderAsync();
            EnsurePump();
            _wake.TrySetResult();
        }

        return true;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Webhook.Exists && Webhook.Pending.Count > 0)
        {
            _reminderRegistered = true;
            EnsurePump();
            return;
        }

        if (await this.GetReminder(RecoveryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _reminderRegistered = false;
    }

    private void EnsurePump()
    {
        if (_pump is null && Webhook.Exists && Webhook.Pending.Count > 0 && !_shutdown.IsCancellationRequested)
        {
            _pump = PumpAsync();
        }
    }

    private async Task EnsureReminderAsync()
    {
        // Registered once and left until a tick finds nothing pending: at hundreds of events a second, pending
        // flips between empty and not all the time, and each registration is a reminder-table write.
        if (!_reminderRegistered)
        {
            await this.RegisterOrUpdateReminder(RecoveryReminder, _options.RecoveryReminderPeriod, _options.RecoveryReminderPeriod);
            _reminderRegistered = true;
        }
    }

    private async Task PumpAsync()
    {
        var inFlight = new Dictionary<Task<WebhookAttempt>, WebhookDelivery>();
        try
        {
            while (!_shutdown.IsCancellationRequested && Webhook.Exists && (Webhook.Pending.Count > 0 || inFlight.Count > 0))
            {
                var now = time.GetUtcNow();
                DateTimeOffset? nextDue = null;
                foreach (var delivery in Webhook.Pending)
                {
                    if (inFlight.ContainsValue(delivery))
                    {
                        continue;
                    }

                    if (delivery.NextAttemptAt <= now && inFlight.Count < _options.MaxConcurrentDeliveries)
                    {
                        var (url, secret, message) = (Webhook.Url, Webhook.Secret, delivery.Message);
                        inFlight[Task.Run(() => sender.SendAsync(url, secret, message, _shutdown.Token))] = delivery;
                    }
                    else if (delivery.NextAttemptAt > now && (nextDue is null || delivery.NextAttemptAt < nextDue))
                    {
                        nextDue = delivery.NextAttemptAt;
                    }
                }

                await WaitForWorkAsync(inFlight.Keys, nextDue, now);
                var done = inFlight.Keys.Where(t => t.IsCompleted).ToList();
                foreach (var attempt in done)
                {
                    var delivery = inFlight[attempt];
                    inFlight.Remove(attempt);
                    if (Webhook.Pending.Contains(delivery))
                    {
                        Record(delivery, attempt.IsCompletedSuccessfully ? attempt.Result : new WebhookAttempt(now, null, attempt.Exception?.GetBaseException().Message ?? "cancelled", 0));
                    }
                }

                if (done.Count > 0 && Webhook.Exists)
                {
                    await WriteAsync();
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A failed write: the attempts recorded in memory are sent again by the next pump (the same webhook-id).
            Log.PumpFailed(logger, Key, ex);
            this.DeactivateOnIdle();
        }
        finally
        {
            _pump = null;
        }
    }

    private async Task WaitForWorkAsync(IEnumerable<Task<WebhookAttempt>> inFlight, DateTimeOffset? nextDue, DateTimeOffset now)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        List<Task> waits = [.. inFlight, _wake.Task];
        if (nextDue is { } due)
        {
            waits.Add(Task.Delay(due - now, time, wait.Token));
        }
        else if (waits.Count == 1)
        {
            waits.Add(Task.Delay(Timeout.InfiniteTimeSpan, wait.Token));
        }

        await Task.WhenAny(waits);
        wait.Cancel();
        if (_wake.Task.IsCompleted)
        {
            _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private void Record(WebhookDelivery delivery, WebhookAttempt attempt)
    {
        delivery.Attempts.Add(attempt);
        if (WebhookSender.Delivered(attempt))
        {
            Finish(delivery, WebhookDeliveryStatus.Delivered);
        }
        else if (RetrySchedule.NextAttempt(delivery.CreatedAt, delivery.Attempts.Count, time.GetUtcNow(), _options) is { } next)
        {
            delivery.NextAttemptAt = next;
        }
        else
        {
            Finish(delivery, WebhookDeliveryStatus.Failed);
            Log.DeliveryFailed(logger, Key, delivery.Message.Id, delivery.Attempts.Count);
        }
    }

    private void Finish(WebhookDelivery delivery, WebhookDeliveryStatus status)
    {
        Webhook.Pending.Remove(delivery);
        delivery.Status = status;
        // Shown, not sent again: the body is dropped so kept deliveries stay small.
        delivery.Message = delivery.Message with { PayloadJson = "" };
        Webhook.Finished.Add(delivery);
        if (Webhook.Finished.Count > _options.KeptDeliveries)
        {
            var dropped = Webhook.Finished.Count - _options.KeptDeliveries;
            foreach (var old in Webhook.Finished.Take(dropped))
            {
                _known?.Remove(old.Message.Id);
            }

            Webhook.Finished.RemoveRange(0, dropped);
        }
    }
}
