using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentOrleans.Api.Health;

public static class HealthApi
{
    /// <summary><c>/healthz</c>: the process is up. <c>/readyz</c>: the cluster answers a grain call.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        // Anonymous with authentication on too: load balancers and orchestrators probe without credentials.
        routes.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health").ExcludeFromDescription().AllowAnonymous();
        routes.MapGet("/readyz", ReadyAsync).WithTags("Health").ExcludeFromDescription().AllowAnonymous();
        return routes;
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> ReadyAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IWorkflowDefinitionGrain>("readyz-probe").ListVersionsAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return TypedResults.Ok<object>(new { status = "ready" });
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            return Problems.Problem.Of(StatusCodes.Status503ServiceUnavailable, "Not ready", $"The cluster did not answer: {ex.Message}");
        }
    }
}
