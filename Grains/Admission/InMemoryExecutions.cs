using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Admission;

/// <summary>
/// How many executions this silo holds in memory with a run not yet ended, against a bound set by the memory
/// available to the process: without it, a flood of long-running starts grows memory until the process dies.
/// A run that parked (a long wait) or ended left memory and does not count. New starts are refused at the bound;
/// what is already accepted (a resume, a child of an admitted run) is counted but never refused.
/// </summary>
public sealed class InMemoryExecutions
{
    private int _count;

    public InMemoryExecutions(IOptions<AdmissionOptions> options)
    {
        var o = options.Value;
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        Bound = o.MemoryFraction > 0 && o.ExecutionMemoryBytes > 0
            ? (int)Math.Clamp(available * o.MemoryFraction / o.ExecutionMemoryBytes, 1, int.MaxValue)
            : int.MaxValue;
        BoundBytes = Bound == int.MaxValue ? long.MaxValue : (long)(available * o.MemoryFraction);
    }

    /// <summary>Most executions with a run this silo holds at once; <see cref="int.MaxValue"/> when off.</summary>
    public int Bound { get; }

    /// <summary>The memory the bound is reckoned from (the fraction of what is available).</summary>
    public long BoundBytes { get; }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Counts a new start unless the bound is reached.</summary>
    public bool TryEnter()
    {
        while (true)
        {
            var count = Volatile.Read(ref _count);
            if (count >= Bound)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _count, count + 1, count) == count)
            {
                return true;
            }
        }
    }

    /// <summary>Counts a run already accepted: it is never refused.</summary>
    public void Enter() => Interlocked.Increment(ref _count);

    public void Leave() => Interlocked.Decrement(ref _count);
}
