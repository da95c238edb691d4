namespace AgentOrleans.Grains.StartupTasks;

/// <summary>What a silo asks a startup task to run: the workflow, its input and the run key the run is once for.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.StartupTaskSpec")]
public sealed record StartupTaskSpec(
    [property: Id(0)] string WorkflowId,
    [property: Id(1)] int? Version,
    [property: Id(2)] string? InputJson,
    [property: Id(3)] string RunKey);
