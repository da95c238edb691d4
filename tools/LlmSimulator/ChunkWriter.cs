using System.Text.Json.Nodes;

namespace AgentOrleans.LlmSimulator;

/// <summary>Writes chat-completion chunks as Server-Sent Events, flushing each so the client sees tokens as they come.</summary>
internal sealed class ChunkWriter(HttpResponse response, string model, int promptTokens)
{
    private readonly string _id = $"chatcmpl-{Guid.NewGuid():N}";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        return WriteAsync(Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null), cancellationToken);
    }

    public Task TokenAsync(string token, CancellationToken cancellationToken) =>
        WriteAsync(Chunk(new JsonObject { ["content"] = token }, null), cancellationToken);

    /// <summary>The <paramref name="index"/>th tool call of the answer in three deltas (id and name, then the arguments in two halves), as real providers split them.</summary>
    public async Task ToolCallAsync(int index, string id, string name, string arguments, CancellationToken cancellationToken)
    {
        var half = arguments.Length / 2;
        await WriteAsync(Chunk(ToolDelta(new JsonObject { ["index"] = index, ["id"] = id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = name, ["arguments"] = "" } }), null), cancellationToken);
        await WriteAsync(Chunk(ToolDelta(new JsonObject { ["index"] = index, ["function"] = new JsonObject { ["arguments"] = arguments[..half] } }), null), cancellationToken);
        await WriteAsync(Chunk(ToolDelta(new JsonObject { ["index"] = index, ["function"] = new JsonObject { ["arguments"] = arguments[half..] } }), null), cancellationToken);
    }

    public async Task FinishAsync(SimulatedAnswer answer, bool includeUsage, CancellationToken cancellationToken)
    {
        await WriteAsync(Chunk([], answer.ToolNames.Count == 0 ? "stop" : "tool_calls"), cancellationToken);
        if (includeUsage)
        {
            var usage = Envelope(new JsonArray());
            usage["usage"] = Usage(answer);
            await WriteAsync(usage, cancellationToken);
        }

        await response.WriteAsync("data: [DONE]\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>The non-streaming form, for clients that do not ask for a stream.</summary>
    public Task WriteWholeAsync(SimulatedAnswer answer, CancellationToken cancellationToken)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = string.Concat(answer.Tokens) };
        var whole = new JsonObject
        {
            ["id"] = _id,
            ["object"] = "chat.completion",
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = "stop" }),
            ["usage"] = Usage(answer),
        };
        response.ContentType = "application/json";
        return response.WriteAsync(whole.ToJsonString(), cancellationToken);
    }

    private JsonObject Usage(SimulatedAnswer answer) => new()
    {
        ["prompt_tokens"] = promptTokens,
        ["completion_tokens"] = Math.Max(answer.Tokens.Count, answer.ToolNames.Count),
        ["total_tokens"] = promptTokens + Math.Max(answer.Tokens.Count, answer.ToolNames.Count),
    };

    private static JsonObject ToolDelta(JsonObject call) => new() { ["tool_calls"] = new JsonArray(call) };

    private JsonObject Chunk(JsonObject delta, string? finishReason) =>
        Envelope(new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }));

    private JsonObject Envelope(JsonArray choices) => new()
    {
        ["id"] = _id,
        ["object"] = "chat.completion.chunk",
        ["model"] = model,
        ["choices"] = choices,
    };

    private async Task WriteAsync(JsonObject chunk, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
