using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Http;
using AgentOrleans.Grains.Steps.BuiltIn;
using AgentOrleans.Grains.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Webhooks;

/// <summary>
/// One webhook: its subscription (registered with the tenant's <see cref="IWebhookRegistryGrain"/>) and secret, and the
/// deliveries it owns (WebhookGrain.Delivery.cs). Keyed <c>TenantKey.Scope(tenant, webhookId)</c>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Nothing disposes a grain; its token source and lock live exactly as long as the activation.")]
internal sealed partial class WebhookGrain(
    [PersistentState("webhook", StorageNames.Grains)] IPersistentState<WebhookState> state,
    IOptions<WebhookOptions> options,
    IOptions<HttpStepOptions> http,
    IHostResolver resolver,
    WebhookSender sender,
    TimeProvider time,
    ILogger<WebhookGrain> logger) : Grain, IWebhookGrain, IRemindable
{
    private readonly WebhookOptions _options = options.Value;

    // The pump and calls interleave at awaits; one write at a time keeps the storage etag consistent.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();

    private WebhookState Webhook => state.State;

    private string Key => this.GetPrimaryKeyString();

    public async Task<WebhookPutResult> PutAsync(WebhookSpec spec)
    {
        var problems = WebhookRules.Check(spec);
        if (problems.Count == 0 && await WebhookRules.DestinationProblemAsync(spec.Url, new OutboundGuard(http.Value.Outbound, resolver), resolver, _shutdown.Token) is { } destination)
        {
            problems.Add(destination);
        }

        if (problems.Count > 0)
        {
            return new WebhookPutResult(false, null, problems, null);
        }

        var created = !Webhook.Exists;
        var generated = spec.Secret is null && created ? WebhookSigner.NewSecret() : null;
        var now = time.GetUtcNow();
        Webhook.Url = spec.Url;
        Webhook.Events = [.. spec.Events.Distinct(StringComparer.Ordinal)];
        Webhook.WorkflowId = spec.WorkflowId;
        Webhook.Secret = spec.Secret ?? generated ?? Webhook.Secret;
        Webhook.CreatedAt = created ? now : Webhook.CreatedAt;
        Webhook.UpdatedAt = now;
        Webhook.Exists = true;
        await WriteAsync();
        await Registry.SetAsync(new WebhookSubscription(Key, Webhook.Events, Webhook.WorkflowId));
        return new WebhookPutResult(created, View(), [], generated);
    }

    public Task<WebhookView?> GetAsync() => Task.FromResult(Webhook.Exists ? View() : null);

    public async Task<bool> DeleteAsync()
    {
        if (!Webhook.Exists)
        {
            return false;
        }

        // Out of the registry first: a silo that still matches events for it hands them to a webhook that drops them.
        await Registry.RemoveAsync(Key);
        await _writeLock.WaitAsync();
        try
        {
            await state.ClearStateAsync();
            state.State = new WebhookState();
            _known = null;
        }
        finally
        {
            _writeLock.Release();
        }

        return true;
    }

    public Task<List<WebhookDeliveryView>?> GetDeliveriesAsync(int limit)
    {
        if (!Webhook.Exists)
        {
            return Task.FromResult<List<WebhookDeliveryView>?>(null);
        }

        var newestFirst = Webhook.Pending.AsEnumerable().Reverse().Concat(Webhook.Finished.AsEnumerable().Reverse());
        return Task.FromResult<List<WebhookDeliveryView>?>(newestFirst.Take(Math.Clamp(limit, 1, 1000)).Select(d => d.View()).ToList());
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        EnsurePump();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _shutdown.Cancel();
        if (_pump is { } pump)
        {
            await pump.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
        }
    }

    private IWebhookRegistryGrain Registry => GrainFactory.GetGrain<IWebhookRegistryGrain>(TenantKey.TenantOf(Key));

    private WebhookView View() => new(TenantKey.Parse(Key).Id, Webhook.Url, Webhook.Events, Webhook.WorkflowId, Webhook.CreatedAt, Webhook.UpdatedAt);

    private async Task WriteAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
