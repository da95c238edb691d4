using AgentOrleans.Grains.Schedules;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrleans.Tests.Schedules;

/// <summary>When schedules fire: periods, cron with seconds, start and end, and DST in Europe/Berlin (Cronos), with fake time.</summary>
public sealed class ScheduleCalendarTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static ScheduleSpec Every(TimeSpan every, DateTimeOffset? startAt = null, DateTimeOffset? endAt = null) =>
        new() { WorkflowId = "wf", Every = every, StartAt = startAt, EndAt = endAt };

    private static ScheduleSpec Cron(string cron, string zone = "UTC", DateTimeOffset? startAt = null, DateTimeOffset? endAt = null) =>
        new() { WorkflowId = "wf", Cron = cron, TimeZone = zone, StartAt = startAt, EndAt = endAt };

    /// <summary>Drives the planner as the grain's timer does: every <paramref name="step"/> of fake time, the fires due then.</summary>
    private static List<DateTimeOffset> Fired(ScheduleCalendar calendar, FakeTimeProvider time, TimeSpan until, TimeSpan step)
    {
        var fired = new List<DateTimeOffset>();
        var through = time.GetUtcNow();
        var end = time.GetUtcNow() + until;
        while (time.GetUtcNow() < end)
        {
            time.Advance(step);
            var plan = FirePlanner.Plan(calendar, "s", TimeSpan.Zero, through, time.GetUtcNow(), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(2));
            fired.AddRange(plan.Due);
            through = plan.Through;
        }

        return fired;
    }

    [Fact]
    public void APeriodFiresOnePeriodAfterItIsDefinedThenEveryPeriod()
    {
        var calendar = ScheduleCalendar.For(Every(TimeSpan.FromSeconds(2)), T0);

        Assert.Equal([T0.AddSeconds(2), T0.AddSeconds(4), T0.AddSeconds(6)], calendar.Next(T0, 3));
        Assert.Equal(T0.AddSeconds(6), calendar.NextAfter(T0.AddSeconds(4.5)));
        Assert.Equal(T0.AddSeconds(6), calendar.NextAfter(T0.AddSeconds(4)));
    }

    [Fact]
    public void EverySecondFiresNTimesInNSecondsOfFakeTime()
    {
        var time = new FakeTimeProvider(T0);
        var calendar = ScheduleCalendar.For(Every(TimeSpan.FromSeconds(1)), T0);

        var fired = Fired(calendar, time, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        Assert.Equal(Enumerable.Range(1, 10).Select(s => T0.AddSeconds(s)), fired);
    }

    [Fact]
    public void StartAtAnchorsThePeriodAndEndAtStopsIt()
    {
        var start = T0.AddMinutes(5);
        var calendar = ScheduleCalendar.For(Every(TimeSpan.FromMinutes(1), start, start.AddMinutes(2)), T0);

        Assert.Equal([start, start.AddMinutes(1), start.AddMinutes(2)], calendar.Next(T0, 10));
        Assert.Null(calendar.NextAfter(start.AddMinutes(2)));
    }

    [Fact]
    public void AStartAtInThePastKeepsItsGridAndFiresOnlyAfterNow()
    {
        var calendar = ScheduleCalendar.For(Every(TimeSpan.FromSeconds(10), T0.AddSeconds(-95)), T0);

        Assert.Equal(T0.AddSeconds(5), calendar.NextAfter(T0));
    }

    [Fact]
    public void SixFieldCronCarriesSecondsAndFiveFieldStartsAtTheMinute()
    {
        var seconds = ScheduleCalendar.For(Cron("*/15 * * * * *"), T0);
        var minutes = ScheduleCalendar.For(Cron("*/5 * * * *"), T0);

        Assert.Equal([T0.AddSeconds(15), T0.AddSeconds(30), T0.AddSeconds(45)], seconds.Next(T0, 3));
        Assert.Equal([T0.AddMinutes(5), T0.AddMinutes(10)], minutes.Next(T0, 2));
    }

    [Fact]
    public void CronReadsItsTimeZone()
    {
        // 09:00 in Berlin is 08:00 UTC in winter.
        var calendar = ScheduleCalendar.For(Cron("0 9 * * *", "Europe/Berlin"), T0);

        Assert.Equal(new DateTimeOffset(2030, 1, 2, 8, 0, 0, TimeSpan.Zero), calendar.NextAfter(T0));
    }

    [Fact]
    public void SpringForwardInBerlinMovesAFireInTheSkippedHourToTheEndOfTheGap()
    {
        // 2025-03-30: at 02:00 CET the clocks go to 03:00 CEST, so 02:30 does not exist that day.
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 29, 12, 0, 0, TimeSpan.Zero));
        var calendar = ScheduleCalendar.For(Cron("30 2 * * *", "Europe/Berlin"), time.GetUtcNow());

        var fired = Fired(calendar, time, TimeSpan.FromDays(2), TimeSpan.FromMinutes(1));

        Assert.Equal(
            [
                new DateTimeOffset(2025, 3, 30, 1, 0, 0, TimeSpan.Zero), // 03:00 CEST, the first moment after the gap
                new DateTimeOffset(2025, 3, 31, 0, 30, 0, TimeSpan.Zero), // 02:30 CEST the next day
            ],
            fired);
    }

    [Fact]
    public void SpringForwardInBerlinLosesNoHourlyFireButTheOneThatDoesNotExist()
    {
        var from = new DateTimeOffset(2025, 3, 29, 23, 30, 0, TimeSpan.Zero); // 00:30 CET on the 30th
        var calendar = ScheduleCalendar.For(Cron("0 * * * *", "Europe/Berlin"), from);

        // Local 01:00 CET, then 03:00 CEST (02:00 never happens), 04:00 CEST: one UTC hour apart each time.
        Assert.Equal(
            [
                new DateTimeOffset(2025, 3, 30, 0, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2025, 3, 30, 1, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2025, 3, 30, 2, 0, 0, TimeSpan.Zero),
            ],
            calendar.Next(from, 3));
    }

    [Fact]
    public void FallBackInBerlinFiresAFixedTimeOnceAndAnIntervalInBothHours()
    {
        // 2025-10-26: at 03:00 CEST the clocks go back to 02:00 CET, so 02:00-03:00 happens twice.
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 10, 25, 12, 0, 0, TimeSpan.Zero));
        var fixedTime = ScheduleCalendar.For(Cron("30 2 * * *", "Europe/Berlin"), time.GetUtcNow());
        var interval = ScheduleCalendar.For(Cron("*/30 2 * * *", "Europe/Berlin"), time.GetUtcNow());

        var onceADay = Fired(fixedTime, time, TimeSpan.FromDays(1), TimeSpan.FromMinutes(1));

        Assert.Equal([new DateTimeOffset(2025, 10, 26, 0, 30, 0, TimeSpan.Zero)], onceADay); // 02:30 CEST only
        Assert.Equal(
            [
                new DateTimeOffset(2025, 10, 26, 0, 0, 0, TimeSpan.Zero), // 02:00 CEST
                new DateTimeOffset(2025, 10, 26, 0, 30, 0, TimeSpan.Zero), // 02:30 CEST
                new DateTimeOffset(2025, 10, 26, 1, 0, 0, TimeSpan.Zero), // 02:00 CET
                new DateTimeOffset(2025, 10, 26, 1, 30, 0, TimeSpan.Zero), // 02:30 CET
            ],
            interval.Next(new DateTimeOffset(2025, 10, 25, 12, 0, 0, TimeSpan.Zero), 4));
    }

    [Fact]
    public void CronStartAtIsInclusiveAndEndAtBoundsIt()
    {
        var start = T0.AddHours(1);
        var calendar = ScheduleCalendar.For(Cron("0 * * * *", startAt: start, endAt: start.AddHours(1)), T0);

        Assert.Equal([start, start.AddHours(1)], calendar.Next(T0, 5));
    }

    [Theory]
    [InlineData("* * *")]
    [InlineData("61 * * * *")]
    [InlineData("0 0 31 2 * * *")]
    [InlineData("every day")]
    public void AnInvalidCronExpressionHasTheParsersMessage(string expression)
    {
        Assert.False(CronParser.TryParse(expression, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void IanaZonesAreFoundAndUnknownOnesAreNot()
    {
        Assert.NotNull(ScheduleCalendar.FindZone("Europe/Berlin"));
        Assert.NotNull(ScheduleCalendar.FindZone("UTC"));
        Assert.Null(ScheduleCalendar.FindZone("Mars/Olympus_Mons"));
        Assert.Null(ScheduleCalendar.FindZone("Europe"));
        Assert.Null(ScheduleCalendar.FindZone("Europe/"));
    }

    [Fact]
    public void AFiresExecutionIdIsItsScheduleAndItsTimeInUtc()
    {
        Assert.Equal("sched:nightly:2030-01-01T12:00:00Z", ScheduleIds.Execution("nightly", T0));
        Assert.Equal("sched:nightly:2030-01-01T11:00:00.250Z", ScheduleIds.Execution("nightly", new DateTimeOffset(2030, 1, 1, 12, 0, 0, 250, TimeSpan.FromHours(1))));
    }
}
