using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.ChatClients;

/// <summary>
/// The read path of the hand-written client the product used before Microsoft.Extensions.AI (SseParser, one JsonNode
/// per chunk, content and tool-call deltas accumulated), kept here as the baseline of that decision.
/// </summary>
internal static class HandWrittenClient
{
    public static async Task<int> StreamAsync(HttpClient http, Uri endpoint, JsonObject body, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var content = new StringBuilder();
        var tools = new SortedDictionary<int, StringBuilder>();
        var tokens = 0;
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            if (item.Data == "[DONE]")
            {
                return tokens;
            }

            var chunk = JsonNode.Parse(item.Data);
            _ = chunk?["model"] is JsonValue m && m.TryGetValue<string>(out _);
            _ = chunk?["usage"] as JsonObject;
            var delta = chunk?["choices"] is JsonArray { Count: > 0 } choices ? choices[0]?["delta"] : null;
            foreach (var call in delta?["tool_calls"] as JsonArray ?? [])
            {
                var index = call?["index"] is JsonValue i && i.TryGetValue<int>(out var n) ? n : 0;
                (tools.TryGetValue(index, out var args) ? args : tools[index] = new StringBuilder()).Append(call?["function"]?["arguments"]?.GetValue<string>());
            }

            if (delta?["content"] is JsonValue c && c.TryGetValue<string>(out var text) && text.Length > 0)
            {
                content.Append(text);
                tokens++;
            }
        }

        throw new IOException("the stream ended without [DONE]");
    }
}
