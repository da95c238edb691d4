using AgentOrleans.Grains.Schedules;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrleans.Tests.Schedules;

/// <summary>Which fires are due after downtime (the catch-up window), jitter, and the overlap decisions: plain code, fake time.</summary>
public sealed class FirePlannerTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(2);

    private static ScheduleCalendar Every(double seconds) =>
        ScheduleCalendar.For(new ScheduleSpec { WorkflowId = "wf", Every = TimeSpan.FromSeconds(seconds) }, T0);

    [Fact]
    public void AfterDowntimeEveryMissedFireWithinTheWindowIsMadeUpOldestFirst()
    {
        var time = new FakeTimeProvider(T0);
        time.Advance(TimeSpan.FromSeconds(35.5)); // down since T0: fires at 10, 20, 30 s were not handled

        var plan = FirePlanner.Plan(Every(10), "s", TimeSpan.Zero, T0, time.GetUtcNow(), TimeSpan.FromMinutes(1), Tolerance);

        Assert.Equal([T0.AddSeconds(10), T0.AddSeconds(20), T0.AddSeconds(30)], plan.Due);
        Assert.Equal(0, plan.Missed);
        Assert.Equal(T0.AddSeconds(30), plan.Through);
    }

    [Fact]
    public void FiresOlderThanTheWindowAreMissedNotMadeUp()
    {
        var now = T0.AddSeconds(35.5);

        var plan = FirePlanner.Plan(Every(10), "s", TimeSpan.Zero, T0, now, TimeSpan.FromSeconds(15), Tolerance);

        // 10 s is 25.5 s late and 20 s is 15.5 s late: beyond the 15 s window. 30 s is 5.5 s late: made up.
        Assert.Equal([T0.AddSeconds(30)], plan.Due);
        Assert.Equal(2, plan.Missed);
        Assert.Equal(T0.AddSeconds(30), plan.Through);
    }

    [Fact]
    public void AZeroWindowMakesNothingUpButAFireALittleLateStillRuns()
    {
        var plan = FirePlanner.Plan(Every(10), "s", TimeSpan.Zero, T0, T0.AddSeconds(30.5), TimeSpan.Zero, Tolerance);

        Assert.Equal([T0.AddSeconds(30)], plan.Due);
        Assert.Equal(2, plan.Missed);
    }

    [Fact]
    public void NothingIsDueBeforeItsTimeAndAHandledFireIsNotDueAgain()
    {
        var early = FirePlanner.Plan(Every(10), "s", TimeSpan.Zero, T0, T0.AddSeconds(9.9), TimeSpan.FromMinutes(1), Tolerance);
        var again = FirePlanner.Plan(Every(10), "s", TimeSpan.Zero, T0.AddSeconds(10), T0.AddSeconds(12), TimeSpan.FromMinutes(1), Tolerance);

        Assert.True(early.IsEmpty);
        Assert.True(again.IsEmpty);
        Assert.Equal(T0.AddSeconds(10), FirePlanner.NextDue(Every(10), "s", TimeSpan.Zero, T0));
    }

    [Fact]
    public void ALongOutageMakesUpOnlyTheWindowAndCountsTheRest()
    {
        var now = T0.AddHours(1);

        var plan = FirePlanner.Plan(Every(1), "s", TimeSpan.Zero, T0, now, TimeSpan.FromSeconds(30), Tolerance);

        Assert.Equal(31, plan.Due.Count); // now-30 s .. now
        Assert.Equal(now.AddSeconds(-30), plan.Due[0]);
        Assert.Equal(3600 - 31, plan.Missed);
        Assert.Equal(now, plan.Through);
    }

    [Fact]
    public void AtMostAHundredFiresAreMadeUpAtOnceAndTheRestFollow()
    {
        var now = T0.AddSeconds(150);

        var first = FirePlanner.Plan(Every(1), "s", TimeSpan.Zero, T0, now, TimeSpan.FromMinutes(5), Tolerance);
        var rest = FirePlanner.Plan(Every(1), "s", TimeSpan.Zero, first.Through, now, TimeSpan.FromMinutes(5), Tolerance);

        Assert.Equal(FirePlanner.MaxDuePerTick, first.Due.Count);
        Assert.Equal(50, rest.Due.Count);
        Assert.Equal(now, rest.Through);
    }

    [Fact]
    public void JitterDelaysEachFireByTheSameAmountOnEverySiloWithinItsBound()
    {
        var jitter = TimeSpan.FromSeconds(3);
        var delays = Enumerable.Range(1, 50).Select(s => FirePlanner.JitterOf("nightly", T0.AddSeconds(s * 10), jitter)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, jitter - TimeSpan.FromTicks(1)));
        Assert.True(delays.Distinct().Count() > 40, "expected the delays to differ from fire to fire");
        Assert.Equal(delays[0], FirePlanner.JitterOf("nightly", T0.AddSeconds(10), jitter));
        Assert.Equal(TimeSpan.Zero, FirePlanner.JitterOf("nightly", T0, TimeSpan.Zero));

        var at = T0.AddSeconds(10);
        var due = at + FirePlanner.JitterOf("s", at, jitter);
        Assert.Empty(FirePlanner.Plan(Every(10), "s", jitter, T0, due - TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1), Tolerance).Due);
        Assert.Equal([at], FirePlanner.Plan(Every(10), "s", jitter, T0, due, TimeSpan.FromMinutes(1), Tolerance).Due);
    }

    [Theory]
    [InlineData(ScheduleOverlap.Skip, 0, false, FireAction.Start)]
    [InlineData(ScheduleOverlap.Skip, 1, false, FireAction.Skip)]
    [InlineData(ScheduleOverlap.BufferOne, 0, false, FireAction.Start)]
    [InlineData(ScheduleOverlap.BufferOne, 1, false, FireAction.Buffer)]
    [InlineData(ScheduleOverlap.BufferOne, 1, true, FireAction.Skip)]
    [InlineData(ScheduleOverlap.Allow, 0, false, FireAction.Start)]
    [InlineData(ScheduleOverlap.Allow, 3, false, FireAction.Start)]
    [InlineData(ScheduleOverlap.CancelPrevious, 0, false, FireAction.Start)]
    [InlineData(ScheduleOverlap.CancelPrevious, 2, false, FireAction.CancelPreviousAndStart)]
    public void OverlapDecisions(ScheduleOverlap overlap, int running, bool buffered, FireAction expected) =>
        Assert.Equal(expected, OverlapPolicy.Decide(overlap, running, buffered));

    [Fact]
    public void AKeptFireStartsOnceNothingRuns()
    {
        Assert.True(OverlapPolicy.StartsBuffered(buffered: true, running: 0));
        Assert.False(OverlapPolicy.StartsBuffered(buffered: true, running: 1));
        Assert.False(OverlapPolicy.StartsBuffered(buffered: false, running: 0));
    }
}
