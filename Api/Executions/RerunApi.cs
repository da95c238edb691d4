using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Api.Problems;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// <c>POST /v1/executions/{id}/rerun</c>: a new execution, linked by <c>rerunOf</c>, that begins at the node the original
/// stopped in (or <c>fromNode</c>) with the state the original had before it; the original is unchanged.
/// </summary>
public static class RerunApi
{
    private static readonly string[] JsonMediaTypes = ["application/json"];
    private static readonly string[] Fields = ["fromNode", "input"];

    public static RouteGroupBuilder MapRerun(this RouteGroupBuilder executions)
    {
        executions.MapPost("/{id}/rerun", RerunAsync)
            .WithSummary("Re-run an ended execution from the node it stopped in, or from fromNode, reusing the earlier nodes' outputs (Idempotency-Key: same key, same re-run)")
            .Accepts<JsonElement>("application/json")
            .RequireAuthorization(Scopes.ExecutionsStart);
        return executions;
    }

    public static async Task<Results<Accepted<StartedRerun>, ProblemHttpResult>> RerunAsync(
        string id, HttpRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var tenant = Caller.Tenant(request.HttpContext);
        if (!TenantKey.TryScope(tenant, id, out var originalKey))
        {
            return Problem.NotFound($"No execution '{id}'.");
        }

        // A bare POST (no body, no media type) re-runs from where the original stopped with its own input.
        var (text, problem) = request is { ContentType: null, ContentLength: null or 0 } ? (null, null) : await RequestBody.ReadAsync(request, JsonMediaTypes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var problems = new ProblemList();
        var (fromNode, input) = Parse(text, problems);
        if (problems.Count > 0)
        {
            return Problem.Invalid($"The request has {problems.Count} problem(s).", problems);
        }

        var rerunId = idempotencyKey is { Length: > 0 } key ? IdFromKey(key) : Guid.CreateVersion7().ToString("N");
        var (plan, started) = await Reruns.StartAsync(grains, originalKey, TenantKey.Scope(tenant, rerunId), fromNode, input?.ToJsonString(), Caller.By(request.HttpContext));
        return (plan.Outcome, started?.Outcome) switch
        {
            (RerunOutcome.NotFound, _) => Problem.NotFound($"No execution '{id}': {plan.Message}."),
            (RerunOutcome.NotEnded, _) => Problem.Conflict($"Execution '{id}' has not ended: {plan.Message}."),
            (not RerunOutcome.Ready, _) => Problem.Invalid($"Execution '{id}' cannot be re-run from there.", [new DefinitionProblem("/fromNode", plan.Message)]),
            (_, StartOutcome.Started or StartOutcome.AlreadyStarted) => TypedResults.Accepted(
                ExecutionLinks.For(rerunId).Self,
                new StartedRerun(rerunId, started!.Execution!.Status.ToWireName(), id, plan.Start!.Rerun!.FromNodeId, ExecutionLinks.For(rerunId))),
            (_, StartOutcome.Conflict) => Problem.Conflict($"Idempotency-Key '{idempotencyKey}' was used for a different request (execution '{rerunId}')."),
            (_, StartOutcome.Overloaded) => Problem.TooManyRequests($"Too many executions are queued or running: {(started!.Problems.Count > 0 ? started.Problems[0].Message : "")}."),
            (_, StartOutcome.WorkflowNotFound) => Problem.NotFound($"The workflow of execution '{id}' is gone."),
            _ => Problem.Invalid(
                "The input does not match the workflow's input schema.",
                started!.Problems.Select(p => p with { Pointer = "/input" + p.Pointer.TrimEnd('/') }).ToList()),
        };
    }

    /// <summary>The body <c>{fromNode?, input?}</c>; an empty body re-runs from where the original stopped with its input.</summary>
    private static (string? FromNode, JsonNode? Input) Parse(string? text, ProblemList problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        var body = StartFields.ReadObject(text, problems, "{\"fromNode\": \"…\", \"input\": {…}}");
        if (body is null)
        {
            return (null, null);
        }

        StartFields.RefuseUnknown(body, Fields, problems);
        string? fromNode = null;
        if (body["fromNode"] is { } from)
        {
            if (from is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } name)
            {
                fromNode = name;
            }
            else
            {
                problems.Add("/fromNode", "must be a node id of the execution's workflow");
            }
        }

        return (fromNode, body["input"]?.DeepClone());
    }

    // As a start's: any client string maps to a safe id, the same key always to the same re-run.
    private static string IdFromKey(string key) => "rerun-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
}

/// <summary>The answer to a re-run: the new execution's id and status, the original and the node it begins at.</summary>
public sealed record StartedRerun(string Id, string Status, string RerunOf, string FromNode, ExecutionLinks Links);
