namespace AgentOrleans.Grains.Executions;

/// <summary>
/// One entry of an execution's gap-free event sequence. <see cref="DataJson"/> is raw JSON
/// (an object) so that the log stores and the wire carries exactly what the step produced.
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ExecutionEvent")]
public sealed record ExecutionEvent(
    [property: Id(0)] long Seq,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string ExecutionId,
    [property: Id(4)] string? NodeId,
    [property: Id(5)] int? Attempt,
    [property: Id(6)] string? DataJson)
{
    public bool IsTerminal => EventTypes.IsTerminal(Type);
}
