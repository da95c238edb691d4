using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Api.Problems;
using AgentOrleans.Api.Tenants;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Steps.BuiltIn;
using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// What a person (or a service acting for one) does to a running execution besides cancelling it: send it a
/// signal, pause it at the next node boundary, resume it. Each answer is durable before it is sent.
/// </summary>
public static class ExecutionControlApi
{
    private static readonly string[] JsonMediaTypes = ["application/json"];

    public static RouteGroupBuilder MapExecutionControl(this RouteGroupBuilder executions)
    {
        executions.MapPost("/{id}/signals/{name}", SignalAsync)
            .WithSummary("Send a signal (JSON payload) to a waiting node, or buffer it for the node that will wait for it; Idempotency-Key: accepted once")
            .Accepts<JsonElement>("application/json")
            .RequireAuthorization(Scopes.ExecutionsSignal);
        executions.MapPost("/{id}/pause", PauseAsync).WithSummary("Pause at the next node boundary (durable, idempotent)").RequireAuthorization(Scopes.ExecutionsCancel);
        executions.MapPost("/{id}/resume", ResumeAsync).WithSummary("Resume a paused execution (durable, idempotent)").RequireAuthorization(Scopes.ExecutionsCancel);
        return executions;
    }

    public static async Task<Results<Accepted<SignalAnswer>, Ok<SignalAnswer>, ProblemHttpResult>> SignalAsync(
        string id, string name, HttpRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!WaitStep.IsSignalName(name))
        {
            return Problem.Invalid("The signal name is invalid.", [new DefinitionProblem("/name", "must be 1 to 64 letters, digits, '.', '_', ':' or '-'")]);
        }

        var (text, problem) = await RequestBody.ReadAsync(request, JsonMediaTypes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        JsonNode? payload;
        try
        {
            payload = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            return Problem.Invalid("The body is not JSON.", [new DefinitionProblem("", ex.Message)]);
        }

        if (request.HttpContext.ScopedKey(id) is not { } key)
        {
            return ExecutionsApi.NotFound(id);
        }

        var by = Caller.By(request.HttpContext);
        var result = await grains.GetGrain<IExecutionGrain>(key).SignalAsync(new SendSignal(name, payload?.ToJsonString(), idempotencyKey is { Length: > 0 } ? idempotencyKey : null, by));
        var answer = new SignalAnswer(id, name, result.SignalId, result.Status?.ToWireName(), result.Message);
        return result.Outcome switch
        {
            SignalOutcome.Accepted => TypedResults.Accepted(ExecutionLinks.For(id).Self, answer),
            SignalOutcome.Duplicate => TypedResults.Ok(answer),
            SignalOutcome.NotFound => ExecutionsApi.NotFound(id),
            SignalOutcome.Invalid => Problem.Invalid($"The payload does not match the schema of the node waiting for '{name}'; the node keeps waiting.", result.Problems),
            _ => Problem.Conflict(result.Message),
        };
    }

    public static async Task<Results<Accepted<ControlAnswer>, Ok<ControlAnswer>, ProblemHttpResult>> PauseAsync(string id, HttpContext http, IGrainFactory grains) =>
        http.ScopedKey(id) is { } key ? Answer(id, await grains.GetGrain<IExecutionGrain>(key).PauseAsync(Caller.By(http))) : ExecutionsApi.NotFound(id);

    public static async Task<Results<Accepted<ControlAnswer>, Ok<ControlAnswer>, ProblemHttpResult>> ResumeAsync(string id, HttpContext http, IGrainFactory grains) =>
        http.ScopedKey(id) is { } key ? Answer(id, await grains.GetGrain<IExecutionGrain>(key).ResumeAsync(Caller.By(http))) : ExecutionsApi.NotFound(id);

    private static Results<Accepted<ControlAnswer>, Ok<ControlAnswer>, ProblemHttpResult> Answer(string id, ControlResult result)
    {
        if (!result.Exists)
        {
            return ExecutionsApi.NotFound(id);
        }

        if (result.Status?.IsTerminal() == true)
        {
            return Problem.Conflict(result.Message);
        }

        var answer = new ControlAnswer(id, result.Changed, result.Status?.ToWireName(), result.Message);
        return result.Changed ? TypedResults.Accepted(ExecutionLinks.For(id).Self, answer) : TypedResults.Ok(answer);
    }
}

/// <summary>The answer to a signal: its id when accepted, and the execution's status.</summary>
public sealed record SignalAnswer(string Id, string Signal, string? SignalId, string? Status, string Message);

/// <summary>The answer to a pause or resume: whether anything changed, and the execution's status.</summary>
public sealed record ControlAnswer(string Id, bool Changed, string? Status, string Message);
