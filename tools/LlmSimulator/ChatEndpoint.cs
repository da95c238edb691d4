using System.Text.Json.Nodes;

namespace AgentOrleans.LlmSimulator;

/// <summary><c>POST /v1/chat/completions</c>: streams (or, without <c>"stream": true</c>, returns) the simulated answer.</summary>
public static class ChatEndpoint
{
    public static async Task HandleAsync(HttpContext http, RequestLog log, Conversations conversations, TimeProvider time)
    {
        var body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        var modelName = body?["model"] is JsonValue m && m.TryGetValue<string>(out var name) ? name : null;
        var record = log.Add(modelName, http.Request.Headers.Authorization.ToString(), body);
        var messages = body?["messages"] as JsonArray ?? [];
        var model = SimulatedModel.For(modelName, http.Request.Headers["X-Sim-Token-Delay-Ms"].ToString());
        var attempt = model.RateLimitFirst || model.DropFirst || model.BadJsonFirst ? conversations.Count(messages) : 0;
        if (model.RateLimitFirst && attempt == 1)
        {
            record.Status = 429;
            http.Response.StatusCode = 429;
            http.Response.Headers.RetryAfter = "1";
            log.End(record);
            await http.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["message"] = "simulated rate limit", ["type"] = "rate_limit" } });
            record.Completed = true;
            return;
        }

        var answer = SchemaAnswer.Requested(body) is { } schema
            ? SimulatedAnswer.Json(model.BadJsonFirst && attempt == 1 ? SchemaAnswer.Breaking(schema) : SchemaAnswer.Following(schema))
            : SimulatedAnswer.For(messages, body?["tools"] as JsonArray, model.LoopsTools);
        var stream = new ChunkWriter(http.Response, modelName ?? "sim", PromptTokens(messages));
        try
        {
            if (body?["stream"] is not JsonValue s || !s.TryGetValue<bool>(out var streaming) || !streaming)
            {
                log.End(record);
                await stream.WriteWholeAsync(answer, http.RequestAborted);
                record.Completed = true;
                return;
            }

            await stream.StartAsync(http.RequestAborted);
            var dropAt = model.DropFirst && attempt == 1 ? Math.Max(1, answer.Tokens.Count / 2) : -1;
            for (var i = 0; model.StampedTokens is { } stamped && i < stamped; i++)
            {
                await Task.Delay(model.TokenDelay, http.RequestAborted);
                await stream.TokenAsync(SimulatedModel.Stamp(time.GetUtcNow()), http.RequestAborted);
            }

            for (var i = 0; model.StampedTokens is null && i < answer.Tokens.Count; i++)
            {
                if (i == dropAt)
                {
                    record.Dropped = true;
                    log.End(record);
                    http.Abort();
                    return;
                }

                await Task.Delay(model.TokenDelay, http.RequestAborted);
                await stream.TokenAsync(answer.Tokens[i], http.RequestAborted);
            }

            for (var i = 0; i < answer.ToolNames.Count; i++)
            {
                await stream.ToolCallAsync(i, SimulatedAnswer.CallId(record.Id, i), answer.ToolNames[i], answer.ToolArguments, http.RequestAborted);
            }

            log.End(record);
            await stream.FinishAsync(answer, body?["stream_options"]?["include_usage"] is JsonValue u && u.TryGetValue<bool>(out var usage) && usage, http.RequestAborted);
            record.Completed = true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && http.RequestAborted.IsCancellationRequested)
        {
            record.ClientClosed = true;
        }
        finally
        {
            log.End(record);
        }
    }

    private static int PromptTokens(JsonArray messages) =>
        messages.Sum(m => m?["content"] is JsonValue v && v.TryGetValue<string>(out var text) ? text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length : 0);
}
