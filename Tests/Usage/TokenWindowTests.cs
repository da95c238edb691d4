using AgentOrleans.Grains.Usage;

namespace AgentOrleans.Tests.Usage;

/// <summary>The tokens-per-minute allowance as plain code: refilled each minute, held by a 429.</summary>
public sealed class TokenWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CallsAreSentUntilTheMinutesTokensAreUsedUpThenAfterTheRefill()
    {
        var window = new TokenWindow();

        Assert.Null(window.Ask(Start, limit: 100));
        window.Use(Start, 60);
        Assert.Null(window.Ask(Start.AddSeconds(10), limit: 100));
        window.Use(Start.AddSeconds(20), 40);

        Assert.Equal(Start.AddMinutes(1), window.Ask(Start.AddSeconds(30), limit: 100));
        Assert.Null(window.Ask(Start.AddMinutes(1), limit: 100));
        Assert.Equal(0, window.Used);
    }

    [Fact]
    public void AHoldSendsNothingUntilItEndsEvenWithTokensLeft()
    {
        var window = new TokenWindow();
        window.Hold(Start.AddSeconds(5));
        window.Hold(Start.AddSeconds(2));

        Assert.Equal(Start.AddSeconds(5), window.Ask(Start, limit: 100));
        Assert.Equal(Start.AddSeconds(5), window.Ask(Start.AddSeconds(4), limit: 100));
        Assert.Null(window.Ask(Start.AddSeconds(5), limit: 100));
    }
}
