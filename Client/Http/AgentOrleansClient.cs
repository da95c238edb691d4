using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Client.Http;

/// <summary>
/// A typed client of the AgentOrleans HTTP API (v1). Register it with
/// <see cref="AgentOrleansClientServiceCollectionExtensions.AddAgentOrleansClient"/>; every call that the API refuses
/// throws an <see cref="AgentOrleansProblemException"/> carrying the problem's errors.
/// </summary>
public sealed partial class AgentOrleansClient(HttpClient http)
{
    /// <summary>The longest single long-poll the API allows (<c>?wait=</c>).</summary>
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(60);

    /// <summary>Publishes a definition (JSON, or YAML with <paramref name="mediaType"/> <c>application/yaml</c>).</summary>
    public async Task<PublishedWorkflow> PublishWorkflowAsync(string id, string definition, string mediaType = "application/json", CancellationToken cancellationToken = default)
    {
        using var content = new StringContent(definition, System.Text.Encoding.UTF8, mediaType);
        using var response = await http.PutAsync($"v1/workflows/{Escape(id)}", content, cancellationToken);
        return await ApiResponse.ReadAsync<PublishedWorkflow>(response, cancellationToken);
    }

    /// <summary>A published definition: the latest version, or <paramref name="version"/>.</summary>
    public async Task<JsonObject> GetWorkflowAsync(string id, int? version = null, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"v1/workflows/{Escape(id)}{(version is { } v ? $"?version={v}" : "")}", cancellationToken);
        return await ApiResponse.ReadAsync<JsonObject>(response, cancellationToken);
    }

    /// <summary>Starts an execution and answers at once. The same <paramref name="idempotencyKey"/> and request start one execution.</summary>
    public Task<StartedExecution> StartAsync(StartRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        PostAsync<StartRequest, StartedExecution>("v1/executions", request, idempotencyKey, cancellationToken);

    /// <summary>An execution's status, result and error; with <paramref name="wait"/>, long-polls up to that long (at most 60 s) for its end.</summary>
    public async Task<Execution> GetAsync(string id, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        var query = wait is { } w ? $"?wait={(int)Math.Ceiling(Math.Min(w.TotalSeconds, LongPoll.TotalSeconds))}s" : "";
        using var response = await http.GetAsync($"v1/executions/{Escape(id)}{query}", cancellationToken);
        return await ApiResponse.ReadAsync<Execution>(response, cancellationToken);
    }

    /// <summary>Waits until the execution ends, by long polls, and returns it; cancel the token to stop waiting.</summary>
    public async Task<Execution> WaitAsync(string id, CancellationToken cancellationToken = default)
    {
        var execution = await GetAsync(id, LongPoll, cancellationToken);
        while (!execution.IsTerminal)
        {
            execution = await GetAsync(id, LongPoll, cancellationToken);
        }

        return execution;
    }

    /// <summary>Requests cancellation (durable, idempotent).</summary>
    public async Task<CancelAnswer> CancelAsync(string id, string? reason = null, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync($"v1/executions/{Escape(id)}/cancel{(reason is null ? "" : $"?reason={Uri.EscapeDataString(reason)}")}", null, cancellationToken);
        return await ApiResponse.ReadAsync<CancelAnswer>(response, cancellationToken);
    }

    /// <summary>Pauses the execution at its next node boundary.</summary>
    public Task<ControlAnswer> PauseAsync(string id, CancellationToken cancellationToken = default) => ControlAsync(id, "pause", cancellationToken);

    /// <summary>Resumes a paused execution (or withdraws a pause not yet in effect).</summary>
    public Task<ControlAnswer> ResumeAsync(string id, CancellationToken cancellationToken = default) => ControlAsync(id, "resume", cancellationToken);

    /// <summary>Sends a signal with a JSON payload; the same <paramref name="idempotencyKey"/> is taken once.</summary>
    public async Task<SignalAnswer> SignalAsync(string id, string name, JsonNode? payload, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"v1/executions/{Escape(id)}/signals/{Escape(name)}")
        {
            Content = new StringContent(payload?.ToJsonString() ?? "null", System.Text.Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await http.SendAsync(message, cancellationToken);
        var answer = await ApiResponse.ReadAsync<SignalAnswer>(response, cancellationToken);
        return answer with { Taken = response.StatusCode == System.Net.HttpStatusCode.Accepted };
    }

    /// <summary>Approves (or rejects, with <paramref name="approved"/> false) an agent's tool call held for approval.</summary>
    public Task<SignalAnswer> ApproveAsync(string id, string toolCallId, bool approved = true, JsonNode? arguments = null, string? comment = null, CancellationToken cancellationToken = default)
    {
        var decision = new JsonObject { ["toolCallId"] = toolCallId, ["approved"] = approved };
        if (arguments is not null)
        {
            decision["arguments"] = arguments.DeepClone();
        }

        if (comment is not null)
        {
            decision["comment"] = comment;
        }

        return SignalAsync(id, "approval", decision, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The execution's events after <paramref name="after"/>, live: each exactly once and in order across dropped
    /// connections (resumed with Last-Event-ID), ending after the terminal event.
    /// </summary>
    public async IAsyncEnumerable<ExecutionEvent> WatchAsync(string id, long after = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var events = new SseExecutionEvents(http).FollowAsync(id, after, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await NextAsync(events, id))
        {
            yield return events.Current;
        }
    }

    private static async Task<bool> NextAsync(IAsyncEnumerator<ExecutionEvent> events, string id)
    {
        try
        {
            return await events.MoveNextAsync();
        }
        catch (ExecutionNotFoundException)
        {
            throw new AgentOrleansNotFoundException("Not found", $"No execution '{id}'.");
        }
    }

    private async Task<ControlAnswer> ControlAsync(string id, string action, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"v1/executions/{Escape(id)}/{action}", null, cancellationToken);
        return await ApiResponse.ReadAsync<ControlAnswer>(response, cancellationToken);
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
