using AgentOrleans.Grains.StartupTasks;
using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Api.Health;

public static class HealthApi
{
    /// <summary>
    /// <c>/healthz</c>: the process is up. <c>/readyz</c>: the cluster answers a grain call and every startup task that
    /// gates readiness has succeeded; either way it lists the startup tasks, a failed one with its error.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        // Anonymous with authentication on too: load balancers and orchestrators probe without credentials.
        routes.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health").ExcludeFromDescription().AllowAnonymous();
        routes.MapGet("/readyz", ReadyAsync).WithTags("Health").ExcludeFromDescription().AllowAnonymous();
        return routes;
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> ReadyAsync(IGrainFactory grains, IOptions<StartupTaskOptions> tasks, CancellationToken cancellationToken)
    {
        IReadOnlyList<StartupTaskReport> reports;
        try
        {
            await grains.GetGrain<IWorkflowDefinitionGrain>("readyz-probe").ListVersionsAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            var views = await Task.WhenAll(tasks.Value.Tasks.Values.Select(async task =>
                StartupTaskReadiness.Report(task, await grains.GetGrain<IStartupTaskGrain>(task.Name).GetAsync()))).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            reports = [.. views.OrderBy(r => r.Name, StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            return Problems.Problem.Of(StatusCodes.Status503ServiceUnavailable, "Not ready", $"The cluster did not answer: {ex.Message}");
        }

        var pending = StartupTaskReadiness.Pending(reports);
        if (pending.Count > 0)
        {
            return TypedResults.Problem(
                detail: StartupTaskReadiness.Describe(pending),
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Not ready",
                extensions: new Dictionary<string, object?> { ["startupTasks"] = reports });
        }

        return TypedResults.Ok<object>(new { status = "ready", startupTasks = reports });
    }
}
