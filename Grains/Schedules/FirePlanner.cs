using System.Security.Cryptography;
using System.Text;

namespace AgentOrleans.Grains.Schedules;

/// <summary>The fires due at one moment: those to start now, and how many were missed beyond the catch-up window.</summary>
public sealed record FirePlan(IReadOnlyList<DateTimeOffset> Due, long Missed, DateTimeOffset Through)
{
    public bool IsEmpty => Due.Count == 0 && Missed == 0;
}

/// <summary>
/// Which fires are due, as plain code: every fire after the last one handled whose time (plus its jitter) has come.
/// A fire later than the catch-up window (or than <c>lateTolerance</c>, when that is larger: a timer is never exact) was
/// missed while no silo ran the schedule and is dropped, counted; the others start now, oldest first.
/// </summary>
public static class FirePlanner
{
    /// <summary>At most this many fires are made up at once; a longer catch-up goes on at the next tick.</summary>
    public const int MaxDuePerTick = 100;

    // Past this many missed fires the planner jumps to the catch-up window instead of counting each one.
    private const int MaxCountedMisses = 10_000;

    public static FirePlan Plan(
        ScheduleCalendar calendar, string scheduleId, TimeSpan jitter, DateTimeOffset firedThrough, DateTimeOffset now, TimeSpan catchUpWindow, TimeSpan lateTolerance)
    {
        var window = catchUpWindow > lateTolerance ? catchUpWindow : lateTolerance;
        var due = new List<DateTimeOffset>();
        long missed = 0;
        var through = firedThrough;
        while (due.Count < MaxDuePerTick && calendar.NextAfter(through) is { } at)
        {
            var delay = JitterOf(scheduleId, at, jitter);
            if (at + delay > now)
            {
                break;
            }

            if (now - (at + delay) > window)
            {
                missed++;
                if (missed == MaxCountedMisses && calendar.NextAfter(now - window - jitter) is { } jump && jump > at)
                {
                    // A long outage: the fires between are missed too (counted as one more batch, not one by one).
                    through = now - window - jitter;
                    continue;
                }
            }
            else
            {
                due.Add(at);
            }

            through = at;
        }

        return new FirePlan(due, missed, through);
    }

    /// <summary>When the next fire after <paramref name="firedThrough"/> is due (its time plus its jitter), if any.</summary>
    public static DateTimeOffset? NextDue(ScheduleCalendar calendar, string scheduleId, TimeSpan jitter, DateTimeOffset firedThrough) =>
        calendar.NextAfter(firedThrough) is { } at ? at + JitterOf(scheduleId, at, jitter) : null;

    /// <summary>
    /// A fire's delay in [0, <paramref name="jitter"/>): random across fires, but the same for one fire on every silo
    /// and activation, so a fire handled again after a lost silo is due at the same moment.
    /// </summary>
    public static TimeSpan JitterOf(string scheduleId, DateTimeOffset at, TimeSpan jitter)
    {
        if (jitter <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{scheduleId}\n{at.UtcTicks}"));
        var fraction = BitConverter.ToUInt64(hash, 0) / (ulong.MaxValue + 1.0);
        return TimeSpan.FromTicks((long)(jitter.Ticks * fraction));
    }
}
