using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace AgentOrleans.LlmSimulator;

/// <summary>Every request received, in order; served at <c>/_sim/requests</c>.</summary>
public sealed class RequestLog(TimeProvider time)
{
    private readonly ConcurrentQueue<SimulatedRequest> _requests = new();
    private int _next;

    public IReadOnlyList<SimulatedRequest> Requests => [.. _requests];

    public SimulatedRequest Add(string? model, string? authorization, JsonNode? body)
    {
        var request = new SimulatedRequest(Interlocked.Increment(ref _next), time.GetUtcNow(), model, authorization, body);
        _requests.Enqueue(request);
        return request;
    }

    /// <summary>Marks <paramref name="request"/> ended now, once.</summary>
    public void End(SimulatedRequest request) => request.EndedAt ??= time.GetUtcNow();

    public JsonArray ToJson() => new(_requests.Select(r => (JsonNode)r.ToJson()).ToArray());
}
