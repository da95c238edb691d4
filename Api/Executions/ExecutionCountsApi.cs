using AgentOrleans.Api.Problems;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// <c>GET /v1/executions/counts</c>: how many of the caller's tenant's executions are in each status, under the
/// listing's filters, in one index query. The literal segment outranks <c>/{id}</c> in routing, and no execution can
/// be named <c>counts</c>: ids are generated (32 hex digits, <c>idem-…</c>, <c>sched:…</c>, a child's holds <c>:</c>).
/// </summary>
public static class ExecutionCountsApi
{
    private static readonly ExecutionStatus[] Statuses = Enum.GetValues<ExecutionStatus>();

    public static RouteGroupBuilder MapExecutionCounts(this RouteGroupBuilder executions)
    {
        executions.MapGet("/counts", CountAsync)
            .WithSummary("Executions per status: ?workflowId=&createdAfter=&createdBefore=&label=key:value&parent=&schedule=")
            .RequireAuthorization(Scopes.ExecutionsRead);
        return executions;
    }

    public static async Task<Results<Ok<ExecutionCounts>, ProblemHttpResult>> CountAsync(HttpContext http, IExecutionIndex index, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        var filter = ExecutionsListQuery.ParseCountFilter(http.Request.Query, Caller.Tenant(http), problems);
        if (filter is null)
        {
            return Problem.Invalid($"The query has {problems.Count} problem(s).", problems);
        }

        var counts = await index.CountAsync(filter, cancellationToken);
        // Every status is named, a zero too, so a reader need not know the list of statuses.
        var byStatus = Statuses.ToDictionary(s => s.ToWireName(), s => counts.GetValueOrDefault(s), StringComparer.Ordinal);
        return TypedResults.Ok(new ExecutionCounts(byStatus, byStatus.Values.Sum()));
    }
}

/// <summary>The executions matching a filter, per status (every status named) and in all.</summary>
public sealed record ExecutionCounts(IReadOnlyDictionary<string, long> Counts, long Total);
