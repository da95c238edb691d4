using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>
/// The load tool's own HTTP endpoint on 127.0.0.1 that S8's runs call with <c>http</c> steps:
/// <list type="bullet">
/// <item><c>GET /gate</c> — the first node of every run; answers <c>{"released": true}</c> once <see cref="Open"/>
/// is called, so every start is accepted before any run drains (the peers enqueue their backlog before
/// switching the consumer on). A call still waiting after <c>bound</c> (under the http step's 10 s attempt
/// timeout) gets <c>{"released": false}</c>, and the workflow's gate node calls again.</item>
/// <item><c>POST /step</c> — each of the three steps: counts one execution per (run, node) from the
/// <c>Idempotency-Key</c> the http step sends (<c>{executionId}:{nodeId}:{attempt}</c>), as the peers' steps
/// count themselves in Redis or PostgreSQL. A count above 1 is a step that really ran twice.</item>
/// </list>
/// </summary>
public sealed class ProbeEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<(string Run, string Node), int> _steps = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastStep = new();
    private int _gateCalls;
    private int _heldAgain;

    private ProbeEndpoint(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri Gate => new(BaseAddress, "/gate");

    public Uri Step => new(BaseAddress, "/step");

    /// <summary>Gate requests received (a run's first node, and any re-run of it).</summary>
    public int GateCalls => Volatile.Read(ref _gateCalls);

    /// <summary>Gate requests answered "not yet" because their bound passed before <see cref="Open"/>.</summary>
    public int HeldAgain => Volatile.Read(ref _heldAgain);

    /// <summary>Runs whose last step has run (at least once): the load tool's own count of runs done.</summary>
    public int RunsDone => _lastStep.Count;

    /// <summary>Executions per (execution id, node id).</summary>
    public IReadOnlyDictionary<(string Run, string Node), int> Steps => _steps;

    public static async Task<ProbeEndpoint> StartAsync(TimeSpan gateBound, string lastStep)
    {
        var port = ChildProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var probe = new ProbeEndpoint(app, new Uri($"http://127.0.0.1:{port}"));
        app.MapGet("/gate", async (CancellationToken cancellationToken) =>
        {
            Interlocked.Increment(ref probe._gateCalls);
            try
            {
                await probe._open.Task.WaitAsync(gateBound, cancellationToken);
                return Results.Ok(new { released = true });
            }
            catch (TimeoutException)
            {
                Interlocked.Increment(ref probe._heldAgain);
                return Results.Ok(new { released = false });
            }
        });
        app.MapPost("/step", (HttpRequest request) =>
        {
            // {executionId}:{nodeId}:{attempt}; the execution id has no colon.
            var parts = request.Headers["Idempotency-Key"].ToString().Split(':');
            if (parts.Length < 3)
            {
                return Results.BadRequest();
            }

            probe._steps.AddOrUpdate((parts[0], parts[1]), 1, (_, count) => count + 1);
            if (parts[1] == lastStep)
            {
                probe._lastStep.TryAdd(parts[0], DateTimeOffset.UtcNow);
            }

            return Results.Ok(new { counted = true });
        });
        await app.StartAsync();
        return probe;
    }

    public void Open() => _open.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Open();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
