namespace AgentOrleans.Grains.Executions;

/// <summary>
/// A page of events. <see cref="Next"/> is the seq to ask after for the following page;
/// <see cref="TrimmedThrough"/> is set when events the caller asked for were trimmed
/// from the bounded log (every seq up to it is gone).
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.EventPage")]
public sealed record EventPage(
    [property: Id(0)] IReadOnlyList<ExecutionEvent> Events,
    [property: Id(1)] long Next,
    [property: Id(2)] long? TrimmedThrough,
    [property: Id(3)] bool Exists,
    [property: Id(4)] bool IsTerminal);
