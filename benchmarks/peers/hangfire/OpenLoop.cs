using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AgentOrleans.Benchmarks.Peers.Hangfire;

/// <summary>
/// S1's open-loop schedule: request <c>i</c> is due at <c>t0 + i/rate</c> and is sent by producer thread
/// <c>i mod P</c>. Hangfire's client is synchronous, so one thread has one start in flight: with P threads the
/// offered rate holds as long as a start takes less than <c>P/rate</c>. A producer that falls behind sends
/// late and the wait is charged: latency runs from the due time, never from the actual send (no
/// coordinated omission). Sending stops at <c>2 × duration + 1 s</c>; what is unsent then counts with its
/// wait so far (a lower bound).
/// </summary>
public static class OpenLoop
{
    /// <summary>Latencies (ms, by request), requests sent, and the seconds from t0 to the last answer.</summary>
    public sealed record Outcome(double[] LatencyMs, int Sent, double WallSeconds);

    public static Outcome Run(int n, double rate, double duration, int producers, Action<int> start)
    {
        var lat = new double[n];
        var freq = (double)Stopwatch.Frequency;
        var t0 = Stopwatch.GetTimestamp() + (long)(0.05 * freq);
        var cutoff = t0 + (long)(((2 * duration) + 1.0) * freq);
        var sent = 0;
        var lastAnswer = t0;
        var threads = new List<Thread>();
        for (var k = 0; k < producers; k++)
        {
            var first = k;
            var thread = new Thread(() =>
            {
                for (var i = first; i < n; i += producers)
                {
                    var due = t0 + (long)(i * freq / rate);
                    var now = Stopwatch.GetTimestamp();
                    if (now > cutoff)
                    {
                        for (var j = i; j < n; j += producers)
                        {
                            lat[j] = Math.Max(0, now - (t0 + (long)(j * freq / rate))) * 1000.0 / freq;
                        }

                        break;
                    }

                    SleepUntil(due);
                    start(i);
                    var end = Stopwatch.GetTimestamp();
                    lat[i] = (end - due) * 1000.0 / freq;
                    Interlocked.Increment(ref sent);
                    long seen;
                    while ((seen = Interlocked.Read(ref lastAnswer)) < end && Interlocked.CompareExchange(ref lastAnswer, end, seen) != seen)
                    {
                    }
                }
            })
            { IsBackground = true, Priority = ThreadPriority.AboveNormal, Name = $"S1 producer {k}" };
            threads.Add(thread);
        }

        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return new Outcome(lat, sent, (Interlocked.Read(ref lastAnswer) - t0) / freq);
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int usleep(uint usec);

    // Microsecond sleeps (Thread.Sleep has millisecond granularity; spinning would take a core per producer).
    private static void SleepUntil(long due)
    {
        long remaining;
        while ((remaining = due - Stopwatch.GetTimestamp()) > 0)
        {
            _ = usleep((uint)Math.Min(remaining * 1_000_000 / Stopwatch.Frequency + 1, 1_000_000));
        }
    }
}
