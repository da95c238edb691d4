using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentOrleans.LlmSimulator;

/// <summary>
/// Counts requests per conversation, so a failure can be simulated once: a retry of the same
/// conversation (the same messages) then succeeds.
/// </summary>
public sealed class Conversations
{
    private readonly ConcurrentDictionary<string, int> _requests = new();

    /// <summary>1 for the first request with these messages, 2 for the second…</summary>
    public int Count(JsonNode? messages) => _requests.AddOrUpdate(Key(messages), 1, (_, n) => n + 1);

    private static string Key(JsonNode? messages) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(messages?.ToJsonString() ?? "")));
}
