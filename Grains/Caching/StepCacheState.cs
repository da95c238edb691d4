namespace AgentOrleans.Grains.Caching;

/// <summary>A stored step output and when it stops being reused; no expiry: nothing stored.</summary>
[GenerateSerializer, Alias("AgentOrleans.StepCacheState")]
public sealed class StepCacheState
{
    [Id(0)] public string? OutputJson { get; set; }

    [Id(1)] public string? StatePatchJson { get; set; }

    [Id(2)] public DateTimeOffset? ExpiresAt { get; set; }
}
