using AgentOrleans.Benchmarks.Load;
using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.Floor;

/// <summary>
/// F10, the floor under S10 (schedule fire lateness): K grains that each arm a one-shot grain timer to their next fire
/// time and re-arm it on every tick, as the product's schedule grain does, beside K bare .NET timers (one task each,
/// <c>Task.Delay</c> to its next fire time), all aligned to the same fire times as S10's schedules. The .NET timers fire
/// half a period after the grain timers, so the two sets share the process and never fire at the same moment.
/// Lateness = wall clock at the callback − the fire time: what this machine and Orleans allow, with no work per fire.
/// </summary>
public static class TimerFloor
{
    public static async Task RunAsync(IClusterClient client, FloorSink sink, int k, TimeSpan period, int fires, Func<(string, JsonNode?)[], JsonObject> settingsOf)
    {
        // The first fire a little ahead, on a whole period, so arming every timer is done before it.
        var now = DateTimeOffset.UtcNow;
        var first = new DateTimeOffset((now.UtcTicks / period.Ticks + 1) * period.Ticks, TimeSpan.Zero) + period;
        var grains = Enumerable.Range(0, k).Select(i => client.GetGrain<ITimerFloorGrain>(i)).ToArray();
        await Parallel.ForAsync(0, k, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) => await grains[i].StartAsync(first, period, fires));
        var bare = Enumerable.Range(0, k).Select(_ => BareTimerAsync(first + (period / 2), period, fires)).ToArray();
        var bareLateness = (await Task.WhenAll(bare)).SelectMany(l => l).Order().ToList();
        var last = first + (period * (fires - 1));
        while (DateTimeOffset.UtcNow < last + TimeSpan.FromSeconds(2))
        {
            await Task.Delay(200);
        }

        var grainLateness = (await Task.WhenAll(grains.Select(g => g.LatenessAsync()))).SelectMany(l => l).Order().ToList();
        var settings = settingsOf(
        [
            ("schedules", k), ("period_s", period.TotalSeconds), ("fires_per_schedule", fires), ("first_fire", first.ToString("O")),
            ("method", "K grains arm a one-shot grain timer (KeepAlive) to each fire time and re-arm it on every tick; K tasks await Task.Delay to each fire time, half a period later; all K share each fire time; lateness = DateTimeOffset.UtcNow at the callback - the fire time"),
        ]);
        Add(sink, "raw-floor-grain-timer", k, fires, grainLateness, settings);
        Add(sink, "raw-floor-dotnet-timer", k, fires, bareLateness, settings);
    }

    private static void Add(FloorSink sink, string variant, int k, int fires, List<double> lateness, JsonObject settings)
    {
        sink.Add("F10", $"fire_lateness_p50@{k}", "ms", Stats.Percentile(lateness, 50), settings, variant);
        sink.Add("F10", $"fire_lateness_p99@{k}", "ms", Stats.Percentile(lateness, 99), settings, variant);
        sink.Add("F10", $"fire_lateness_max@{k}", "ms", lateness.Count > 0 ? lateness[^1] : double.NaN, settings, variant);
        sink.Add("F10", $"fires_missing@{k}", "fires", (k * fires) - lateness.Count, settings, variant);
    }

    private static async Task<List<double>> BareTimerAsync(DateTimeOffset first, TimeSpan period, int fires)
    {
        var lateness = new List<double>(fires);
        for (var i = 0; i < fires; i++)
        {
            var at = first + (period * i);
            var wait = at - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            lateness.Add((DateTimeOffset.UtcNow - at).TotalMilliseconds);
        }

        return lateness;
    }
}
