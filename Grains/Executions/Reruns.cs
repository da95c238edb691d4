namespace AgentOrleans.Grains.Executions;

/// <summary>
/// A re-run in two calls: the ended original plans it (and changes nothing), the new execution starts from the plan.
/// Shared by <c>POST /v1/executions/{id}/rerun</c> and the bulk re-run.
/// </summary>
public static class Reruns
{
    /// <summary>The plan, and the new execution's start when the plan was ready.</summary>
    public static async Task<(RerunPlan Plan, StartResult? Started)> StartAsync(
        IGrainFactory grains, string originalKey, string rerunKey, string? fromNode, string? inputJson, string? by)
    {
        var plan = await grains.GetGrain<IExecutionGrain>(originalKey).PlanRerunAsync(fromNode, inputJson, by);
        if (plan is not { Outcome: RerunOutcome.Ready, Start: { } start })
        {
            return (plan, null);
        }

        return (plan, await grains.GetGrain<IExecutionGrain>(rerunKey).StartAsync(start));
    }
}
