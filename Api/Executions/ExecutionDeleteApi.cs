using AgentOrleans.Api.Problems;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Retention;
using AgentOrleans.Grains.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// <c>DELETE /v1/executions/{id}</c>, and the 404 of an id that was deleted: while its tombstone is kept it says
/// <c>reason: deleted</c> (and when), so a caller tells a deleted run from a wrong id.
/// </summary>
public static class ExecutionDeleteApi
{
    public const string DeletedReason = "deleted";

    public static RouteGroupBuilder MapExecutionDelete(this RouteGroupBuilder executions)
    {
        executions.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Delete a finished execution (state, events, index row); 409 while it runs; its id then answers 404 with reason deleted")
            .RequireAuthorization(Scopes.ExecutionsCancel);
        return executions;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, HttpContext http, IGrainFactory grains, IExecutionTombstones tombstones, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenant = Caller.Tenant(http);
        if (!TenantKey.TryScope(tenant, id, out var key))
        {
            return Problem.NotFound($"No execution '{id}'.");
        }

        return await grains.GetGrain<IExecutionGrain>(key).DeleteAsync() switch
        {
            DeleteOutcome.Deleted => TypedResults.NoContent(),
            DeleteOutcome.NotFinished => Problem.Conflict($"Execution '{id}' has not ended: cancel it first, or wait for its end."),
            _ => await NotFoundAsync(tenant, id, tombstones, time, cancellationToken),
        };
    }

    /// <summary>The 404 of an id with no execution: with <c>reason: deleted</c> while its tombstone is kept.</summary>
    public static async Task<ProblemHttpResult> NotFoundAsync(string tenant, string id, IExecutionTombstones tombstones, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await tombstones.DeletedAtAsync(tenant, id, time.GetUtcNow(), cancellationToken) is not { } deletedAt)
        {
            return Problem.NotFound($"No execution '{id}'.");
        }

        return TypedResults.Problem(
            detail: $"Execution '{id}' was deleted at {deletedAt:O}.",
            statusCode: StatusCodes.Status404NotFound,
            title: "Not found",
            extensions: new Dictionary<string, object?> { ["reason"] = DeletedReason, ["deletedAt"] = deletedAt });
    }
}
