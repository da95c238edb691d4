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

/// <summary>F10: a one-shot grain timer armed to each fire time and re-armed on each tick, as the schedule grain times its fires.</summary>
public interface ITimerFloorGrain : IGrainWithIntegerKey
{
    Task StartAsync(DateTimeOffset first, TimeSpan period, int fires);

    /// <summary>Milliseconds between each fire time and its tick.</summary>
    Task<double[]> LatenessAsync();
}

public sealed class TimerFloorGrain : Grain, ITimerFloorGrain
{
    private readonly List<double> _lateness = [];
    private IGrainTimer? _timer;
    private DateTimeOffset _next;
    private TimeSpan _period;
    private int _left;

    public Task StartAsync(DateTimeOffset first, TimeSpan period, int fires)
    {
        (_next, _period, _left) = (first, period, fires);
        Arm();
        return Task.CompletedTask;
    }

    public Task<double[]> LatenessAsync() => Task.FromResult(_lateness.ToArray());

    private void Arm()
    {
        var due = _next - DateTimeOffset.UtcNow;
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private Task TickAsync()
    {
        _lateness.Add((DateTimeOffset.UtcNow - _next).TotalMilliseconds);
        _next += _period;
        if (--_left > 0)
        {
            Arm();
        }

        return Task.CompletedTask;
    }
}
