namespace AgentOrleans.Grains.Admission;

/// <summary>Admitted executions that have not ended, by execution id: a set, so admit and release are idempotent.</summary>
[GenerateSerializer, Alias("AgentOrleans.AdmissionState")]
public sealed class AdmissionState
{
    [Id(0)] public Dictionary<string, AdmittedExecution> Active { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("AgentOrleans.AdmittedExecution")]
public sealed record AdmittedExecution(
    [property: Id(0)] string WorkflowId,
    [property: Id(1)] DateTimeOffset AdmittedAt);
