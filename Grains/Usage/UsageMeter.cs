using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Steps.BuiltIn.Llm;
using AgentOrleans.Grains.Tenants;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Usage;

/// <summary>
/// What a model call goes through besides the provider, in two calls of <see cref="ChatClient"/>: before it, the
/// budgets (the execution's, then its tenant's for the day) and the provider's tokens-per-minute pool; after it, the
/// recording of its usage (the execution's ledger, the tenant's day, the pool, metrics); on a 429, the pool's hold.
/// </summary>
public sealed class UsageMeter(IOptions<LlmOptions> llm, IOptions<TenantQuotaOptions> tenants, IGrainFactory grains, UsageMetrics metrics, TimeProvider time)
{
    /// <summary>Throws <c>BudgetExceeded</c> (or <see cref="BudgetWaitException"/>) when the call would exceed a budget; waits while the provider's pool is used up or held.</summary>
    public async Task CheckAsync(string providerName, LlmProviderOptions provider, ChatRequest request, ChatCaller caller, CancellationToken cancellationToken)
    {
        var price = Price(request, provider);
        var ledger = caller.Usage;
        if (BudgetRule.Exceeds(ledger.Budget, ledger.Used, request.MaxTokens, price) is { } reason)
        {
            throw ledger.Budget is { Wait: true } && caller.CanWait ? new BudgetWaitException(reason) : BudgetErrors.Exceeded(reason);
        }

        var tenant = TenantKey.TenantOf(caller.ExecutionId);
        if (DailyBudget(tenant) is { } daily)
        {
            var today = await grains.GetGrain<ITenantUsageGrain>(TenantUsageGrain.Key(tenant, time.GetUtcNow())).GetAsync();
            var used = ExecutionUsage.None.Add(Model(request, provider), today);
            if (BudgetRule.Exceeds(daily, used, request.MaxTokens, price, $"tenant '{tenant}''s daily") is { } dailyReason)
            {
                throw BudgetErrors.Exceeded(dailyReason);
            }
        }

        if (provider.TokensPerMinute > 0)
        {
            var pool = grains.GetGrain<ITokenRateGrain>(providerName);
            while (await pool.AskAsync(provider.TokensPerMinute) is { } askAgain)
            {
                var delay = askAgain - time.GetUtcNow();
                await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, time, cancellationToken);
            }
        }
    }

    /// <summary>The call answered: its tokens and cost are recorded (durably in the execution), counted for the tenant's day and the provider's minute.</summary>
    public async Task RecordAsync(string providerName, LlmProviderOptions provider, ChatRequest request, ChatTurn turn, ChatCaller caller, CancellationToken cancellationToken)
    {
        var model = Model(request, provider);
        var cost = Price(request, provider)?.Of(turn.Usage.PromptTokens, turn.Usage.CompletionTokens) ?? 0m;
        var usage = new ModelUsage(turn.Usage.PromptTokens, turn.Usage.CompletionTokens, cost, Calls: 1);
        var tenant = TenantKey.TenantOf(caller.ExecutionId);
        metrics.Called(model, tenant, caller.Usage.WorkflowId, usage);
        if (provider.TokensPerMinute > 0)
        {
            await grains.GetGrain<ITokenRateGrain>(providerName).UseAsync(usage.TotalTokens);
        }

        if (DailyBudget(tenant) is not null)
        {
            await grains.GetGrain<ITenantUsageGrain>(TenantUsageGrain.Key(tenant, time.GetUtcNow())).AddAsync(usage);
        }

        await caller.Usage.RecordAsync(model, usage, cancellationToken);
    }

    /// <summary>The provider answered 429 with <c>Retry-After</c>: its tokens-per-minute pool sends nothing until then.</summary>
    public Task HoldAsync(string providerName, LlmProviderOptions provider, TimeSpan retryAfter) => provider.TokensPerMinute > 0
        ? grains.GetGrain<ITokenRateGrain>(providerName).HoldAsync(time.GetUtcNow() + retryAfter)
        : Task.CompletedTask;

    /// <summary>The model usage is keyed and priced by: the one the request names (what prices are configured by), not the provider's dated variant.</summary>
    private static string Model(ChatRequest request, LlmProviderOptions provider) => request.Model ?? provider.Model;

    private LlmPrice? Price(ChatRequest request, LlmProviderOptions provider) => llm.Value.Prices.GetValueOrDefault(Model(request, provider));

    private ExecutionBudget? DailyBudget(string tenant) => tenants.Value.For(tenant) is { } quotas && (quotas.DailyTokens > 0 || quotas.DailyCost > 0)
        ? new ExecutionBudget(quotas.DailyTokens > 0 ? quotas.DailyTokens : null, quotas.DailyCost > 0 ? quotas.DailyCost : null)
        : null;
}
