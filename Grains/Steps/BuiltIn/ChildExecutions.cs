using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;

namespace AgentOrleans.Grains.Steps.BuiltIn;

/// <summary>
/// Runs a workflow as a child execution and waits for it. The child's id derives from the
/// step's idempotency key, so a re-run of the same attempt finds the same child instead of
/// starting another; cancelling the step cancels the child, unless the parent's activation is only leaving
/// its silo: the parent's next activation re-runs the step, which finds the child still running.
/// Once the child exists, the parent's log records it (<c>child.started</c> with the child's id and path), so a
/// reader of the parent's events can follow the child's too.
/// The child's key extends the parent's (<c>{parent key}:{suffix}</c>), so it is in the parent's tenant; what a caller
/// reads of it (the parent link, <c>child.started</c>, messages) names ids without the tenant.
/// </summary>
public static class ChildExecutions
{
    // Below the default 30 s grain response timeout, so each wait call returns in time.
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Starts (or finds) child <paramref name="childId"/>, announces it in the parent's log and waits for its end.
    /// <paramref name="pathSegment"/> tells this child apart from the node's others (a map item's index, an agent's
    /// tool call; null for a node's one child): the child's path is the node id, the step's
    /// <see cref="StepContext.Path"/> and this, joined by <c>/</c>.
    /// </summary>
    public static async Task<JsonNode?> RunAsync(
        IGrainFactory grains, StepContext context, string childId, string workflowId, int? version, JsonNode? input, string? pathSegment = null)
    {
        var child = grains.GetGrain<IExecutionGrain>(childId);
        var parentId = TenantKey.Parse(context.ExecutionId).Id;
        var shownId = TenantKey.Parse(childId).Id;
        var start = new StartExecution(workflowId, version, input?.ToJsonString())
        {
            Parent = new ParentLink(parentId, context.NodeId),
            // What is left of the parent's budget when the child starts: a child cannot spend more than its parent may.
            Budget = context.Usage.Budget?.Remaining(context.Usage.Used),
        };
        var started = await child.StartAsync(start);
        switch (started.Outcome)
        {
            case StartOutcome.WorkflowNotFound:
                throw new StepException("WorkflowNotFound", $"workflow '{workflowId}'{(version is null ? "" : $" version {version}")} does not exist", retryable: false);
            case StartOutcome.InvalidInput:
                throw new StepException("InvalidInput", $"the input of child workflow '{workflowId}' is invalid: {string.Join("; ", started.Problems.Select(p => $"{p.Pointer} {p.Message}"))}", retryable: false);
            case StartOutcome.Conflict:
                throw new StepException("ChildConflict", $"execution '{shownId}' exists for another request", retryable: false);
        }

        try
        {
            await context.AnnounceChild(new ChildStart(shownId, PathOf(context, pathSegment), workflowId), context.CancellationToken);
            while (true)
            {
                var snapshot = await child.WaitAsync(WaitSlice).WaitAsync(context.CancellationToken);
                if (snapshot is { IsTerminal: true })
                {
                    // However the child ended, what it spent is the parent's too.
                    await context.Usage.RecordChildAsync(childId, snapshot.Usage, context.CancellationToken);
                    return snapshot.Status switch
                    {
                        ExecutionStatus.Succeeded => snapshot.ResultJson is null ? null : JsonNode.Parse(snapshot.ResultJson),
                        ExecutionStatus.Cancelled => throw new StepException("ChildCancelled", $"child execution '{shownId}' was cancelled"),
                        _ when snapshot.Error?.Type == Usage.BudgetErrors.Type => throw Usage.BudgetErrors.Exceeded($"child execution '{shownId}' ran out of budget: {snapshot.Error.Message}"),
                        _ => throw new StepException(
                            "ChildFailed",
                            $"child execution '{shownId}' ended {snapshot.Status.ToWireName()}: {snapshot.Error?.Type}: {snapshot.Error?.Message}"),
                    };
                }
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested && !context.ShutdownToken.IsCancellationRequested)
        {
            await child.CancelAsync($"parent execution '{parentId}' stopped node '{context.NodeId}'");
            throw;
        }
    }

    private static string PathOf(StepContext context, string? segment)
    {
        var path = context.Path.Length == 0 ? context.NodeId : $"{context.NodeId}/{context.Path}";
        return segment is null ? path : $"{path}/{segment}";
    }
}
