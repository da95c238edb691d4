using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>HTTP calls to the Api: one pooled SocketsHttpHandler with enough connections for every scenario.</summary>
public sealed class ApiClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;

    /// <param name="baseAddress">The Api.</param>
    /// <param name="maxConnections">HTTP/1.1 connections at most.</param>
    /// <param name="bearer">Sent as <c>Authorization: Bearer</c> on every request, for an Api with authentication on.</param>
    public ApiClient(Uri baseAddress, int maxConnections, string? bearer = null)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(90) };
        if (bearer is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
    }

    public HttpClient Http => _http;

    public async Task PublishAsync(JsonObject definition)
    {
        using var content = new StringContent(definition.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _http.PutAsync(new Uri($"/v1/workflows/{definition["id"]}", UriKind.Relative), content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"publish {definition["id"]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static byte[] StartBody(string workflowId) => Encoding.UTF8.GetBytes($"{{\"workflowId\":\"{workflowId}\",\"input\":{{}}}}");

    /// <summary>POST /v1/executions; the execution id, or null on an error answer.</summary>
    public Task<string?> StartAsync(byte[] body, CancellationToken cancellationToken = default) => StartAsync(body, null, cancellationToken);

    /// <summary>POST /v1/executions with an <c>Idempotency-Key</c> (a retried start is the same execution); the id, or null on an error answer.</summary>
    public async Task<string?> StartAsync(byte[] body, string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/executions", UriKind.Relative)) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return null;
        }

        var reader = new Utf8JsonReader(bytes);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                return reader.GetString();
            }
        }

        return null;
    }

    /// <summary>POST /v1/executions/{id}/signals/{name} with an empty JSON object; whether it was accepted (202).</summary>
    public async Task<bool> SignalAsync(string id, string name, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri($"/v1/executions/{id}/signals/{name}", UriKind.Relative), content, cancellationToken);
        return response.StatusCode == HttpStatusCode.Accepted;
    }

    /// <summary>GET /v1/executions/{id}[?wait=]: (status, completedAt) or null on an error answer.</summary>
    public async Task<(string Status, DateTimeOffset? CompletedAt)?> GetAsync(string id, string? wait = null, CancellationToken cancellationToken = default)
    {
        var uri = wait is null ? $"/v1/executions/{id}" : $"/v1/executions/{id}?wait={wait}";
        using var response = await _http.GetAsync(new Uri(uri, UriKind.Relative), cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(bytes);
        var status = doc.RootElement.GetProperty("status").GetString()!;
        DateTimeOffset? completed = doc.RootElement.TryGetProperty("completedAt", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetDateTimeOffset()
            : null;
        return (status, completed);
    }

    /// <summary>GET /v1/executions/{id}/events?after=0 as a JSON page: every retained event, or null on an error answer.</summary>
    public async Task<List<LoggedEvent>?> EventsAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(new Uri($"/v1/executions/{id}/events?after=0&limit=1000", UriKind.Relative), cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(bytes);
        var events = new List<LoggedEvent>();
        foreach (var e in doc.RootElement.GetProperty("events").EnumerateArray())
        {
            events.Add(new LoggedEvent(
                e.GetProperty("seq").GetInt64(),
                e.GetProperty("type").GetString()!,
                e.GetProperty("at").GetDateTimeOffset(),
                e.TryGetProperty("nodeId", out var node) ? node.GetString() : null,
                e.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                    && data.TryGetProperty("resumed", out var resumed) && resumed.ValueKind == JsonValueKind.True));
        }

        return events;
    }

    public static bool IsTerminal(string status) => status is "succeeded" or "failed" or "cancelled" or "timed_out";

    public void Dispose() => _http.Dispose();
}

/// <summary>One event of an execution's log, as far as S8 reads it.</summary>
public sealed record LoggedEvent(long Seq, string Type, DateTimeOffset At, string? NodeId, bool Resumed);

/// <summary>Sleeps with microsecond resolution (usleep), so an open-loop schedule needs no spinning.</summary>
public static class Precise
{
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern int usleep(uint usec);

    public static void SleepUntil(Stopwatch clock, long dueTicks)
    {
        var remaining = dueTicks - clock.ElapsedTicks;
        if (remaining <= 0)
        {
            return;
        }

        var micros = remaining * 1_000_000 / Stopwatch.Frequency;
        if (micros > 0)
        {
            _ = usleep((uint)Math.Min(micros, 1_000_000));
        }
    }

    public static string Ms(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
