using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AgentOrleans.Grains.Pools;
using AgentOrleans.Grains.Telemetry;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrleans.Tests.Pools;

/// <summary>
/// The backoff and renewal periods of cluster permits, on fake time: every wait <see cref="ClusterPermits"/> asks for
/// is recorded and then skipped, so the test checks the periods themselves instead of sleeping through them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterPermitsTimingTests(ClusterFixture fixture)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FailedPoolCallsAreRetriedAfterADoublingBackoffAndTheLeaseRenewsEveryThirdOfItsDuration()
    {
        var pool = $"test:timing:{Guid.NewGuid():N}";
        var time = new RecordingTimeProvider();
        var permits = Permits(time);
        CallFaults.FailNext<IPoolGrain>(nameof(IPoolGrain.AcquireAsync), pool, 2, () => new InvalidOperationException($"injected fault in pool '{pool}'"));

        var acquiring = permits.AcquireAsync(pool, "holder", 1, priority: 0, waiting: null, CancellationToken.None);
        await SkipWaitsUntilAsync(time, () => acquiring.IsCompleted);
        await using var lease = await acquiring;
        await SkipWaitsUntilAsync(time, () => PoolCallLog.Received(pool, nameof(IPoolGrain.RenewAsync)).Count() >= 2);

        var waits = time.Requested.ToArray();
        Assert.True(waits.Length >= 4, $"expected two backoffs and two renewal periods; saw waits of {string.Join(", ", waits)}");
        Assert.Equal([PollInterval, 2 * PollInterval, LeaseDuration / 3, LeaseDuration / 3], waits[..4]);
        Assert.Equal(2, PoolCallLog.Received(pool, nameof(IPoolGrain.RenewAsync)).Count());
    }

    [Fact]
    public async Task AWaiterAsksAgainEveryPollInterval()
    {
        var pool = $"test:timing:{Guid.NewGuid():N}";
        var time = new RecordingTimeProvider();
        var permits = Permits(time);
        var positions = new ConcurrentQueue<int>();
        var holder = await fixture.Grains.GetGrain<IPoolGrain>("test:one").AcquireAsync($"{pool}:first", 1, priority: 100);
        Assert.True(holder.Granted, "expected the first holder of test:one to be granted at once");

        try
        {
            using var stop = new CancellationTokenSource();
            var waiting = permits.AcquireAsync("test:one", $"{pool}:second", 1, priority: 0, positions.Enqueue, stop.Token);
            await SkipWaitsUntilAsync(time, () => positions.Count >= 3);
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }
        finally
        {
            await fixture.Grains.GetGrain<IPoolGrain>("test:one").ReleaseAsync($"{pool}:first");
        }

        Assert.All(time.Requested.Take(3), wait => Assert.Equal(PollInterval, wait));
        Assert.All(positions, position => Assert.Equal(1, position));
    }

    private ClusterPermits Permits(TimeProvider time)
    {
        var options = new PoolOptions { PollInterval = PollInterval, LeaseDuration = LeaseDuration };
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new ClusterPermits(fixture.Grains, Options.Create(options), new AgentOrleansMetrics(meters), time, NullLogger<ClusterPermits>.Instance);
    }

    /// <summary>Moves fake time past each wait as soon as it is asked for, until <paramref name="done"/> holds.</summary>
    private static async Task SkipWaitsUntilAsync(RecordingTimeProvider time, Func<bool> done)
    {
        await Polling.UntilAsync(
            () =>
            {
                for (; time.Skipped < time.Requested.Count && !done(); time.Skipped++)
                {
                    time.Advance(time.Requested.ElementAt(time.Skipped));
                }

                return done();
            },
            Runs.Deadline,
            TimeSpan.FromMilliseconds(5));
        Assert.True(done(), $"expected the condition within {Runs.Deadline}; waits asked for: {string.Join(", ", time.Requested)}");
    }

    /// <summary>Fake time that records every timer's due time (Task.Delay on a TimeProvider creates one).</summary>
    private sealed class RecordingTimeProvider : FakeTimeProvider
    {
        public ConcurrentQueue<TimeSpan> Requested { get; } = new();

        /// <summary>How many of <see cref="Requested"/> the test has moved time past.</summary>
        public int Skipped { get; set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            // Recorded once the timer exists: the test moves time past it as soon as it sees it.
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Requested.Enqueue(dueTime);
            return timer;
        }
    }
}
