using AgentOrleans.Api.Schedules;
using AgentOrleans.Grains.Schedules;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Tests.Schedules;

/// <summary>Reading a schedule definition: defaults, and every problem listed with its pointer.</summary>
public sealed class ScheduleRequestTests
{
    private static (ScheduleSpec? Spec, ProblemList Problems) Parse(string json)
    {
        var problems = new ProblemList();
        return (ScheduleRequest.Parse(json, problems), problems);
    }

    [Fact]
    public void APeriodWithDefaults()
    {
        var (spec, problems) = Parse("""{"workflowId": "wf", "every": "2s", "input": {"a": 1}}""");

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromSeconds(2), spec!.Every);
        Assert.Equal(ScheduleOverlap.Skip, spec.Overlap);
        Assert.Equal(TimeSpan.FromMinutes(1), spec.CatchUpWindow);
        Assert.Equal(TimeSpan.Zero, spec.Jitter);
        Assert.False(spec.Paused);
        Assert.Equal("""{"a":1}""", spec.InputJson);
    }

    [Fact]
    public void ACronWithEverythingSet()
    {
        var (spec, problems) = Parse("""
            {"workflowId": "wf", "version": 2, "cron": "0 30 9 * * MON-FRI", "timeZone": "Europe/Berlin",
             "startAt": "2030-01-01T00:00:00+01:00", "endAt": "2031-01-01T00:00:00Z", "jitter": "30s",
             "overlap": "cancelPrevious", "catchUpWindow": "0", "paused": true}
            """);

        Assert.Empty(problems);
        Assert.Equal("0 30 9 * * MON-FRI", spec!.Cron);
        Assert.Equal("Europe/Berlin", spec.TimeZone);
        Assert.Equal(new DateTimeOffset(2029, 12, 31, 23, 0, 0, TimeSpan.Zero), spec.StartAt);
        Assert.Equal(TimeSpan.Zero, spec.CatchUpWindow);
        Assert.Equal(ScheduleOverlap.CancelPrevious, spec.Overlap);
        Assert.True(spec.Paused);
        Assert.Equal(2, spec.Version);
    }

    [Theory]
    [InlineData("""{"workflowId": "wf", "cron": "61 * * * *"}""", "/cron")]
    [InlineData("""{"workflowId": "wf", "cron": "0 9 * * *", "timeZone": "Mars/Olympus_Mons"}""", "/timeZone")]
    [InlineData("""{"workflowId": "wf", "cron": "0 9 * * *", "timeZone": "Europe"}""", "/timeZone")]
    [InlineData("""{"workflowId": "wf", "every": "500ms"}""", "/every")]
    [InlineData("""{"workflowId": "wf", "every": "soon"}""", "/every")]
    [InlineData("""{"workflowId": "wf", "every": "1m", "startAt": "2030-01-02T00:00:00Z", "endAt": "2030-01-01T00:00:00Z"}""", "/endAt")]
    [InlineData("""{"workflowId": "wf", "every": "1m", "cron": "* * * * *"}""", "")]
    [InlineData("""{"workflowId": "wf"}""", "")]
    [InlineData("""{"every": "1m"}""", "/workflowId")]
    [InlineData("""{"workflowId": "wf", "every": "1m", "overlap": "queue"}""", "/overlap")]
    [InlineData("""{"workflowId": "wf", "every": "1m", "catchUpWindow": -1}""", "/catchUpWindow")]
    [InlineData("""{"workflowId": "wf", "every": "10s", "jitter": "10s"}""", "/jitter")]
    [InlineData("""{"workflowId": "wf", "every": "1m", "startAt": "tomorrow"}""", "/startAt")]
    [InlineData("""{"workflowId": "wf", "every": "1m", "paused": "yes"}""", "/paused")]
    [InlineData("""{"workflowId": "wf", "every": "1m", "timeZone": "UTC"}""", "/timeZone")]
    [InlineData("""{"workflowId": "wf", "every": "1m", "colour": "blue"}""", "/colour")]
    [InlineData("""[1]""", "")]
    public void EachBadFieldHasItsPointer(string json, string pointer)
    {
        var (spec, problems) = Parse(json);

        Assert.Null(spec);
        Assert.Contains(problems, p => p.Pointer == pointer);
    }

    [Fact]
    public void TheCronProblemCarriesTheParsersMessage()
    {
        var (_, problems) = Parse("""{"workflowId": "wf", "cron": "61 * * * *"}""");
        Assert.False(CronParser.TryParse("61 * * * *", out _, out var message));

        Assert.Equal(message, Assert.Single(problems).Message);
    }

    [Fact]
    public void EveryProblemIsListedAtOnce()
    {
        var (_, problems) = Parse("""
            {"workflowId": "no spaces", "cron": "61 * * * *", "every": "100ms", "timeZone": "Nowhere/City",
             "startAt": "2030-01-02T00:00:00Z", "endAt": "2030-01-01T00:00:00Z"}
            """);

        Assert.Equal(["", "/cron", "/endAt", "/every", "/timeZone", "/workflowId"], problems.Select(p => p.Pointer).Order().ToList());
    }
}
