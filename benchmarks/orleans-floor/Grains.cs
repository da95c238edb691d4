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

/// <summary>
/// F6: a grain that parks as a sleeping execution does: it registers a reminder (due in 1 h, every minute, the
/// product's recovery period) and deactivates. With <c>withReminder</c> false it only activates and deactivates.
/// </summary>
public interface IParkingGrain : IGrainWithStringKey
{
    Task ParkAsync(bool withReminder);
}

public sealed class ParkingGrain : Grain, IParkingGrain, IRemindable
{
    public async Task ParkAsync(bool withReminder)
    {
        if (withReminder)
        {
            await this.RegisterOrUpdateReminder("recovery", TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));
        }

        DeactivateOnIdle();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
