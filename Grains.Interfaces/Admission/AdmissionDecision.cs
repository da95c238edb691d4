namespace AgentOrleans.Grains.Admission;

/// <summary>Whether a start was admitted; when not, why and when to try again.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.AdmissionDecision")]
public sealed record AdmissionDecision(
    [property: Id(0)] bool Admitted,
    [property: Id(1)] string? Reason,
    [property: Id(2)] TimeSpan RetryAfter)
{
    public static readonly AdmissionDecision Yes = new(true, null, TimeSpan.Zero);
}

/// <summary>Admitted executions not yet ended.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.AdmissionCounts")]
public sealed record AdmissionCounts(
    [property: Id(0)] int Total,
    [property: Id(1)] IReadOnlyDictionary<string, int> PerWorkflow)
{
    /// <summary>By the tenant of each execution's key.</summary>
    [Id(2)] public IReadOnlyDictionary<string, int> PerTenant { get; init; } = new Dictionary<string, int>();
}
