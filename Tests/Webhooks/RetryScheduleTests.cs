using AgentOrleans.Grains.Webhooks;

namespace AgentOrleans.Tests.Webhooks;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly WebhookOptions _options = new();

    [Fact]
    public void WaitsDoubleFromTheFirstRetryDelayUpToTheCap()
    {
        var waits = Enumerable.Range(1, 12).Select(failed => RetrySchedule.NextAttempt(Created, failed, Created, _options)!.Value - Created).ToList();

        Assert.Equal(TimeSpan.FromSeconds(5), waits[0]);
        Assert.Equal(TimeSpan.FromSeconds(10), waits[1]);
        Assert.Equal(TimeSpan.FromSeconds(20), waits[2]);
        Assert.Equal(TimeSpan.FromHours(1), waits[^1]);
        Assert.True(waits.Zip(waits.Skip(1)).All(p => p.First <= p.Second));
    }

    [Fact]
    public void ADeliveryIsGivenUpOnceTheNextAttemptWouldBeLaterThanGiveUpAfter()
    {
        var nearlyADay = Created + TimeSpan.FromHours(23.5);

        Assert.NotNull(RetrySchedule.NextAttempt(Created, 30, Created + TimeSpan.FromHours(22), _options));
        Assert.Null(RetrySchedule.NextAttempt(Created, 30, nearlyADay, _options));
    }

    [Fact]
    public void ManyFailuresDoNotOverflowTheWait() =>
        Assert.Equal(Created + TimeSpan.FromHours(1), RetrySchedule.NextAttempt(Created, 500, Created, _options));
}
