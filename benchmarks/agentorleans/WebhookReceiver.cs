using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>
/// W1's receiver on 127.0.0.1: <c>POST /hook</c> records, per webhook-id, the first receive time and the event's
/// <c>timestamp</c> (its <c>at</c>); <c>POST /floor</c> answers at once (the bare round trip W1's floor measures).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>webhook-id → (event at, first received).</summary>
    public ConcurrentDictionary<string, (DateTimeOffset At, DateTimeOffset Received)> Deliveries { get; } = new();

    public int Repeats => Volatile.Read(ref _repeats);

    private int _repeats;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var port = ChildProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, new Uri($"http://127.0.0.1:{port}"));
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            var received = DateTimeOffset.UtcNow;
            using var body = await JsonDocument.ParseAsync(request.Body);
            var at = body.RootElement.GetProperty("timestamp").GetDateTimeOffset();
            if (!receiver.Deliveries.TryAdd(request.Headers["webhook-id"].ToString(), (at, received)))
            {
                Interlocked.Increment(ref receiver._repeats);
            }

            return Results.NoContent();
        });
        app.MapPost("/floor", () => Results.NoContent());
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
