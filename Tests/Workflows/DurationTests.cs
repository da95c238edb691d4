using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Tests.Workflows;

public class DurationTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2_000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("PT2S", 2_000)]
    [InlineData("PT1M30S", 90_000)]
    [InlineData("PT0.5S", 500)]
    [InlineData("P1DT12H", 129_600_000)]
    public void ShortAndIsoDurationsAreRead(string text, double milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    // As schemas/workflow.json: no sign, no spaces, no unit-less numbers, and no years, months or weeks, whose length varies.
    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("-2s")]
    [InlineData("2 s")]
    [InlineData("2sec")]
    [InlineData(".5s")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1Y")]
    [InlineData("P1M")]
    [InlineData("P1W")]
    [InlineData("-PT1S")]
    public void MalformedDurationsAreRefused(string text)
    {
        Assert.False(Duration.TryParse(text, out _));
    }
}
