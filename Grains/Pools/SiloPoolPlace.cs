namespace AgentOrleans.Grains.Pools;

/// <summary>
/// One request for permits of a per-silo pool: waiting in line, then granted. The position is
/// written by whoever moves the line (any thread) and read by the waiter, which awaits
/// <see cref="Moved"/> instead of being called back, so its own state changes only on its own turn.
/// </summary>
public sealed class SiloPoolPlace
{
    private readonly TaskCompletionSource _granted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;
    private int _released;

    internal SiloPoolPlace(string pool, int count)
    {
        Pool = pool;
        Count = count;
    }

    public string Pool { get; }

    public int Count { get; }

    /// <summary>Completes when the permits are granted.</summary>
    public Task Granted => _granted.Task;

    public bool IsGranted => _granted.Task.IsCompleted;

    /// <summary>1-based place in line; 0 once granted.</summary>
    public int Position => Volatile.Read(ref _position);

    /// <summary>Completes at the next change of <see cref="Position"/>. Read it before <see cref="Position"/> so no move is missed.</summary>
    public Task Moved => Volatile.Read(ref _moved).Task;

    internal void Grant()
    {
        Volatile.Write(ref _position, 0);
        _granted.TrySetResult();
        Signal();
    }

    internal void MoveTo(int position)
    {
        if (Position != position)
        {
            Volatile.Write(ref _position, position);
            Signal();
        }
    }

    /// <summary>True the first time only: the permits are given back once.</summary>
    internal bool Release() => Interlocked.Exchange(ref _released, 1) == 0;

    private void Signal() => Interlocked.Exchange(ref _moved, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
