using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Tests.Webhooks;

/// <summary>
/// A webhook receiver on 127.0.0.1 that checks each delivery's Standard Webhooks signature itself (its own HMAC, not
/// the product's signer) against the secret registered for its path. <c>/hook/{key}</c> answers 204;
/// <c>/hook/{key}?fail=N</c> answers 500 to the first N requests of each webhook-id.
/// </summary>
public sealed class WebhookReceiver : IAsyncLifetime
{
    private WebApplication _app = null!;
    private readonly ConcurrentDictionary<string, string> _secrets = new();
    private readonly ConcurrentDictionary<string, int> _tries = new();

    public ConcurrentQueue<ReceivedDelivery> Received { get; } = new();

    public string BaseUrl { get; private set; } = "";

    /// <summary>A fresh key with its own secret: the URL to configure and the secret to give.</summary>
    public (string Url, string Secret) NewHook(int failFirst = 0)
    {
        var key = Guid.NewGuid().ToString("N");
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _secrets[key] = secret;
        return ($"{BaseUrl}/hook/{key}" + (failFirst > 0 ? $"?fail={failFirst}" : ""), secret);
    }

    public IReadOnlyList<ReceivedDelivery> For(string url)
    {
        var key = new Uri(url).AbsolutePath.Split('/')[^1];
        return [.. Received.Where(r => r.Key == key)];
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/hook/{key}", async (string key, int? fail, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var id = request.Headers["webhook-id"].ToString();
            var timestamp = request.Headers["webhook-timestamp"].ToString();
            var signature = request.Headers["webhook-signature"].ToString();
            var verified = _secrets.TryGetValue(key, out var secret) && Verify(secret, id, timestamp, body, signature);
            var tries = _tries.AddOrUpdate($"{key}|{id}", 1, (_, n) => n + 1);
            var status = !verified ? 401 : tries <= (fail ?? 0) ? 500 : 204;
            Received.Enqueue(new ReceivedDelivery(key, id, timestamp, body, verified, status, DateTimeOffset.UtcNow));
            return Results.StatusCode(status);
        });
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>The Standard Webhooks check: v1 signature of "{id}.{timestamp}.{body}" with the secret's bytes, timestamp within 5 minutes.</summary>
    public static bool Verify(string secret, string id, string timestamp, string body, string signature)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300 || id.Length == 0)
        {
            return false;
        }

        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return signature.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(s), Encoding.UTF8.GetBytes(expected)));
    }
}

public sealed record ReceivedDelivery(string Key, string WebhookId, string Timestamp, string Body, bool Verified, int Status, DateTimeOffset At);
