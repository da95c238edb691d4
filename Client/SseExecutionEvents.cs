using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Client;

/// <summary>
/// Follows an execution over the HTTP API's Server-Sent Events, for services that are not cluster
/// clients. A dropped connection is resumed with Last-Event-ID and duplicates are dropped by seq,
/// so every retained event arrives exactly once and in order; the sequence ends after the
/// terminal event.
/// </summary>
public sealed class SseExecutionEvents(HttpClient http)
{
    /// <summary>Wait before reconnecting after a dropped connection. Default 500 ms.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Connections tried in a row without receiving anything before giving up. Default 10.</summary>
    public int MaxFailedConnections { get; init; } = 10;

    public async IAsyncEnumerable<ExecutionEvent> FollowAsync(string executionId, long after = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The server's stream is already in order and filled from its log: what it skips was trimmed.
        var sequence = new EventSequencer(after);
        var failures = 0;
        while (true)
        {
            var progressed = false;
            using var response = await ConnectAsync(executionId, sequence.Last, cancellationToken);
            if (response is { StatusCode: HttpStatusCode.NotFound })
            {
                throw new ExecutionNotFoundException();
            }

            if (response is { IsSuccessStatusCode: true })
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                await using var items = SseParser.Create(body).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                while (await NextAsync(items) is { } item)
                {
                    var e = Parse(item);
                    if (!sequence.TakeInOrder(e))
                    {
                        continue;
                    }

                    progressed = true;
                    yield return e;
                    if (sequence.Ended)
                    {
                        yield break;
                    }
                }
            }

            failures = progressed ? 0 : failures + 1;
            if (failures >= MaxFailedConnections)
            {
                throw new HttpRequestException($"gave up on the events of '{executionId}' after {failures} connections without progress");
            }

            await Task.Delay(ReconnectDelay, cancellationToken);
        }
    }

    private async Task<HttpResponseMessage?> ConnectAsync(string executionId, long last, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"v1/executions/{Uri.EscapeDataString(executionId)}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("Last-Event-ID", last.ToString(CultureInfo.InvariantCulture));
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    // A connection that breaks mid-stream ends this attempt; the caller reconnects from the last seq.
    private static async Task<SseItem<string>?> NextAsync(IAsyncEnumerator<SseItem<string>> items)
    {
        try
        {
            return await items.MoveNextAsync() ? items.Current : null;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Reads the wire form <c>{"seq","type","at","executionId","nodeId","attempt","data"}</c>.</summary>
    public static ExecutionEvent Parse(SseItem<string> item)
    {
        using var document = JsonDocument.Parse(item.Data);
        var root = document.RootElement;
        return new ExecutionEvent(
            root.GetProperty("seq").GetInt64(),
            root.GetProperty("type").GetString()!,
            root.GetProperty("at").GetDateTimeOffset(),
            root.GetProperty("executionId").GetString()!,
            root.TryGetProperty("nodeId", out var node) ? node.GetString() : null,
            root.TryGetProperty("attempt", out var attempt) ? attempt.GetInt32() : null,
            root.TryGetProperty("data", out var data) ? data.GetRawText() : null);
    }
}
