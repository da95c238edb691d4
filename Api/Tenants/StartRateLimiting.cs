using System.Globalization;
using System.Threading.RateLimiting;
using AgentOrleans.Api.Problems;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Tenants;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Api.Tenants;

/// <summary>
/// Each tenant's <c>StartsPerSecond</c> with ASP.NET Core's rate limiter: a token bucket per tenant (the caller's, from its
/// key or token), per Api process, on the endpoints that start executions. Beyond it: 429 with <c>Retry-After</c> and a
/// problem naming the setting. A tenant without a rate shares no limiter with anyone (no limit at all).
/// </summary>
public static class StartRateLimiting
{
    public const string PolicyName = "tenant-starts";

    public static IServiceCollection AddStartRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTenantQuotas(configuration);
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(PolicyName, Partition);
            o.OnRejected = RejectedAsync;
        });
    }

    private static RateLimitPartition<string> Partition(HttpContext http)
    {
        var tenant = Caller.Tenant(http);
        var quota = Quota(http, tenant);
        if (quota.StartsPerSecond <= 0)
        {
            return RateLimitPartition.GetNoLimiter(tenant);
        }

        // Whole tokens each period, the period stretched to keep the rate (2.5/s: 2 tokens every 0.8 s; 0.1/s: 1 every 10 s).
        var tokens = Math.Max(1, (int)quota.StartsPerSecond);
        return RateLimitPartition.GetTokenBucketLimiter(tenant, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = quota.Burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokens / quota.StartsPerSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static TenantQuotas Quota(HttpContext http, string tenant) =>
        http.RequestServices.GetRequiredService<IOptions<TenantQuotaOptions>>().Value.For(tenant);

    private static async ValueTask RejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var tenant = Caller.Tenant(http);
        var quota = Quota(http, tenant);
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1 / quota.StartsPerSecond);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problem.Of(
            StatusCodes.Status429TooManyRequests,
            "Too many starts",
            $"Tenant '{tenant}' may start {quota.StartsPerSecond.ToString(CultureInfo.InvariantCulture)} executions a second, {quota.Burst} at once ({quota.Section}:StartsPerSecond and StartBurst). Try again after {seconds} s.")
            .ExecuteAsync(http);
    }
}
