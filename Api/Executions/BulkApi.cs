using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Api.Problems;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Bulk;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// <c>POST /v1/executions:cancel</c> and <c>POST /v1/executions:rerun</c>: the action on every execution the query's
/// filter (the one of <c>GET /v1/executions</c>) lists, as a bulk operation whose progress <c>GET /v1/bulk/{id}</c> shows.
/// </summary>
public static class BulkApi
{
    private static readonly string[] JsonMediaTypes = ["application/json"];

    public static IEndpointRouteBuilder MapBulk(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/executions:cancel", (HttpRequest request, [FromHeader(Name = "Idempotency-Key")] string? key, IGrainFactory grains, CancellationToken token) =>
                StartAsync(BulkAction.Cancel, request, key, grains, token))
            .WithTags("Executions").WithSummary("Cancel every execution the filter lists (?status=&workflowId=&createdAfter=&createdBefore=&label=&parent=&schedule=); body {reason?}; a bulk operation, Idempotency-Key honoured")
            .RequireAuthorization(Scopes.ExecutionsCancel);
        routes.MapPost("/v1/executions:rerun", (HttpRequest request, [FromHeader(Name = "Idempotency-Key")] string? key, IGrainFactory grains, CancellationToken token) =>
                StartAsync(BulkAction.Rerun, request, key, grains, token))
            .WithTags("Executions").WithSummary("Re-run every ended execution the filter lists from where it stopped (or fromNode); body {fromNode?}; a bulk operation, Idempotency-Key honoured")
            .RequireAuthorization(Scopes.ExecutionsStart);
        routes.MapGet("/v1/bulk/{id}", GetAsync).WithTags("Executions").WithSummary("A bulk operation's progress: matched, done, skipped, failed").RequireAuthorization(Scopes.ExecutionsRead);
        return routes;
    }

    public static async Task<Results<Accepted<BulkResource>, ProblemHttpResult>> StartAsync(
        BulkAction action, HttpRequest request, string? idempotencyKey, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var tenant = Caller.Tenant(request.HttpContext);
        var problems = new ProblemList();
        foreach (var unknown in request.Query.Keys.Where(k => !ExecutionsListQuery.FilterFields.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
        {
            problems.Add($"/{unknown}", $"is not a filter parameter; known: {string.Join(", ", ExecutionsListQuery.FilterFields)}");
        }

        var filter = ExecutionsListQuery.ParseFilter(request.Query, tenant, problems);
        if (problems.Count == 0 && IsEmpty(filter))
        {
            problems.Add("", $"name at least one filter condition ({string.Join(", ", ExecutionsListQuery.FilterFields)}): a bulk action on every execution is not taken by accident");
        }

        var (text, problem) = request is { ContentType: null, ContentLength: null or 0 } ? (null, null) : await RequestBody.ReadAsync(request, JsonMediaTypes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var option = ReadOption(text, action == BulkAction.Cancel ? "reason" : "fromNode", problems);
        if (problems.Count > 0)
        {
            return Problem.Invalid($"The request has {problems.Count} problem(s).", problems);
        }

        var id = idempotencyKey is { Length: > 0 } key ? "bulk-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32] : Guid.CreateVersion7().ToString("N");
        var bulk = new BulkRequest(action, filter)
        {
            Reason = action == BulkAction.Cancel ? option : null,
            FromNode = action == BulkAction.Rerun ? option : null,
            By = Caller.By(request.HttpContext),
        };
        var started = await grains.GetGrain<IBulkOperationGrain>(TenantKey.Scope(tenant, id)).StartAsync(bulk);
        return started.Outcome == BulkStartOutcome.Conflict
            ? Problem.Conflict($"Idempotency-Key '{idempotencyKey}' was used for a different bulk request (operation '{id}').")
            : TypedResults.Accepted(BulkResource.Link(id), BulkResource.From(id, started.Progress));
    }

    public static async Task<Results<Ok<BulkResource>, ProblemHttpResult>> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var progress = TenantKey.TryScope(Caller.Tenant(http), id, out var key) ? await grains.GetGrain<IBulkOperationGrain>(key).GetAsync() : null;
        return progress is null ? Problem.NotFound($"No bulk operation '{id}'.") : TypedResults.Ok(BulkResource.From(id, progress));
    }

    private static bool IsEmpty(ExecutionFilter f) =>
        f is { Statuses.Count: 0, WorkflowId: null, CreatedAfter: null, CreatedBefore: null, Labels.Count: 0, Parent: null, Schedule: null };

    /// <summary>The body: empty, or an object with at most the one field this action takes (a string).</summary>
    private static string? ReadOption(string? text, string field, ProblemList problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var body = StartFields.ReadObject(text, problems, $"{{\"{field}\": \"…\"}}");
        if (body is null)
        {
            return null;
        }

        StartFields.RefuseUnknown(body, [field], problems);
        if (body[field] is null)
        {
            return null;
        }

        if (body[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 and <= 1000 } option)
        {
            return option;
        }

        problems.Add($"/{field}", "must be a non-empty string of at most 1,000 characters");
        return null;
    }
}

/// <summary>A bulk operation as the API shows it.</summary>
public sealed record BulkResource(
    string Id,
    string Action,
    string Status,
    long Matched,
    long Done,
    long Skipped,
    long Failed,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Reason,
    string? FromNode,
    IReadOnlyList<BulkError> Errors,
    string Self)
{
    public static string Link(string id) => $"/v1/bulk/{Uri.EscapeDataString(id)}";

    public static BulkResource From(string id, BulkProgress p) => new(
        id,
        p.Request.Action == BulkAction.Cancel ? "cancel" : "rerun",
        p.Completed ? "completed" : "running",
        p.Matched,
        p.Done,
        p.Skipped,
        p.Failed,
        p.CreatedAt,
        p.CompletedAt,
        p.Request.Reason,
        p.Request.FromNode,
        p.Errors,
        Link(id));
}
