namespace AgentOrleans.Grains.Tenants;

/// <summary>
/// One tenant's limits (<c>AgentOrleans:Tenants:Defaults</c>, or <c>AgentOrleans:Tenants:{tenant}</c> over them).
/// Every limit is 0 (unlimited) by default.
/// </summary>
public sealed record TenantQuotas
{
    /// <summary>Most executions of the tenant not yet ended (queued or running) in the cluster; 0 is unlimited.</summary>
    public int MaxActiveExecutions { get; init; }

    /// <summary>Starts a second, refilled continuously (a token bucket per tenant in each Api process); 0 is unlimited.</summary>
    public double StartsPerSecond { get; init; }

    /// <summary>Starts taken at once before the rate applies; 0 (default) means the rate rounded up, at least 1.</summary>
    public int StartBurst { get; init; }

    /// <summary>Largest definition the tenant may publish, in UTF-8 bytes; 0 is unlimited.</summary>
    public int MaxDefinitionBytes { get; init; }

    /// <summary>Most nodes in one of the tenant's definitions; 0 is unlimited.</summary>
    public int MaxNodes { get; init; }

    /// <summary>The tenant's share of a cluster pool's permits against other waiting tenants. Default 1.</summary>
    public int PoolWeight { get; init; } = 1;

    /// <summary>Most tokens (input and output) the tenant's model calls may use in one UTC day, cluster-wide; 0 is unlimited.</summary>
    public long DailyTokens { get; init; }

    /// <summary>Most estimated cost (at <c>AgentOrleans:Llm:Prices</c>) of the tenant's model calls in one UTC day; 0 is unlimited.</summary>
    public decimal DailyCost { get; init; }

    /// <summary>Where these values are set: the tenant's own section, or the defaults'.</summary>
    public string Section { get; init; } = TenantQuotaOptions.SectionName + ":" + TenantQuotaOptions.DefaultsKey;

    public int Burst => StartBurst > 0 ? StartBurst : Math.Max(1, (int)Math.Ceiling(StartsPerSecond));
}
