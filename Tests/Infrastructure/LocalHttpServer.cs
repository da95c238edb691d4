using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>A real HTTP server on 127.0.0.1 for the http step to call, counting what it receives.</summary>
public sealed class LocalHttpServer : IAsyncLifetime
{
    private WebApplication _app = null!;

    public ConcurrentDictionary<string, int> Requests { get; } = new();

    public ConcurrentDictionary<string, string> IdempotencyKeys { get; } = new();

    public ConcurrentDictionary<string, TaskCompletionSource> Aborted { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/ok/{key}", (string key, HttpRequest request) =>
        {
            Count(key);
            IdempotencyKeys[key] = request.Headers["Idempotency-Key"].ToString();
            return Results.Json(new { hello = "world", key });
        });
        _app.MapGet("/missing/{key}", (string key) =>
        {
            Count(key);
            return Results.NotFound();
        });
        _app.MapGet("/redirect/{key}", (string key, string to) =>
        {
            Count(key);
            return Results.Redirect(to);
        });
        _app.MapGet("/flaky/{key}/{failures:int}", (string key, int failures) =>
            Count(key) <= failures ? Results.StatusCode(503) : Results.Text("recovered"));
        _app.MapGet("/hang/{key}", async (string key, CancellationToken aborted) =>
        {
            Count(key);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, aborted);
            }
            catch (OperationCanceledException)
            {
                Aborted.GetOrAdd(key, _ => new()).TrySetResult();
            }

            return Results.Ok();
        });
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private int Count(string key) => Requests.AddOrUpdate(key, 1, (_, n) => n + 1);
}
