using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Tests.Secrets;

/// <summary>
/// A server on 127.0.0.1 that records the credentials each request carried (its <c>Authorization</c> and
/// <c>X-Api-Key</c> headers, its query string) and, on <c>/echo</c>, answers them back; <c>/redirect</c> sends it on.
/// </summary>
public sealed class SecretReceiver : IAsyncLifetime
{
    private WebApplication _app = null!;

    public ConcurrentDictionary<string, Received> Requests { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/echo/{key}", (string key, HttpRequest request) =>
        {
            var received = Record(key, request);
            return Results.Json(new { authorization = received.Authorization, apiKey = received.ApiKey, query = received.Query });
        });
        // Sends the caller on to ?to= (another receiver, or this one), as a server that redirects does.
        _app.MapGet("/redirect/{key}", (string key, string to, HttpRequest request) =>
        {
            Record(key, request);
            return Results.Redirect(to);
        });
        _app.MapGet("/missing/{key}", (string key, HttpRequest request) =>
        {
            Record(key, request);
            return Results.NotFound();
        });
        _app.MapGet("/hang/{key}", async (string key, HttpRequest request, CancellationToken aborted) =>
        {
            Record(key, request);
            await Task.Delay(Timeout.InfiniteTimeSpan, aborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return Results.Ok();
        });
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Received Record(string key, HttpRequest request)
    {
        var received = new Received(request.Headers.Authorization.ToString(), request.Headers["X-Api-Key"].ToString(), request.QueryString.Value ?? "");
        Requests[key] = received;
        return received;
    }

    public sealed record Received(string Authorization, string ApiKey, string Query);
}
