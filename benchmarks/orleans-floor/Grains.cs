namespace AgentOrleans.Benchmarks.Floor;

/// <summary>The cheapest grain call there is: no state, no work, a completed task.</summary>
public interface IPingGrain : IGrainWithIntegerKey
{
    Task PingAsync();
}

public sealed class PingGrain : Grain, IPingGrain
{
    public Task PingAsync() => Task.CompletedTask;
}

/// <summary>One event of the stream hop: its sequence number and the Stopwatch ticks when it was published.</summary>
[GenerateSerializer]
[Immutable]
public sealed record FloorEvent([property: Id(0)] int Seq, [property: Id(1)] long SentTicks);
