using AgentOrleans.Api.Problems;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentOrleans.Api.Executions;

/// <summary><c>GET /v1/executions</c>: the caller's tenant's executions from the index, newest first, a page at a time.</summary>
public static class ExecutionsListApi
{
    public static RouteGroupBuilder MapExecutionsList(this RouteGroupBuilder executions)
    {
        executions.MapGet("/", ListAsync)
            .WithSummary("List executions newest first: ?status=&workflowId=&createdAfter=&createdBefore=&label=key:value&parent=&schedule=&limit=&cursor=")
            .RequireAuthorization(Scopes.ExecutionsRead);
        return executions;
    }

    public static async Task<Results<Ok<ExecutionList>, ProblemHttpResult>> ListAsync(HttpContext http, IExecutionIndex index, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        var query = ExecutionsListQuery.Parse(http.Request.Query, Caller.Tenant(http), problems);
        if (query is null)
        {
            return Problem.Invalid($"The query has {problems.Count} problem(s).", problems);
        }

        var page = await index.QueryAsync(query.Filter, query.After, query.Limit, cancellationToken);
        return TypedResults.Ok(new ExecutionList([.. page.Items.Select(ExecutionListItem.From)], page.Next?.ToString()));
    }
}

/// <summary>A page of executions; pass <see cref="NextCursor"/> as <c>cursor</c> for the next one (null: none).</summary>
public sealed record ExecutionList(IReadOnlyList<ExecutionListItem> Items, string? NextCursor);

/// <summary>An execution as its index row shows it; its full status is at <c>links.self</c>.</summary>
public sealed record ExecutionListItem(
    string Id,
    string WorkflowId,
    int Version,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string? Parent,
    string? Schedule,
    string? ErrorType,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset? ExpiresAt,
    ExecutionLinks Links)
{
    public static ExecutionListItem From(ExecutionSummary s) => new(
        s.Id, s.WorkflowId, s.Version, s.Status.ToWireName(), s.CreatedAt, s.StartedAt, s.CompletedAt, s.Parent, s.Schedule, s.ErrorType, s.Labels, s.ExpiresAt, ExecutionLinks.For(s.Id));
}
