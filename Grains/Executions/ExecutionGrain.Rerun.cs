using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Re-run from a node: an ended execution plans the start of a new one (its state before the node, from its path), and
/// the new one begins at that node with that state; the nodes before it are not run again.
/// </summary>
internal sealed partial class ExecutionGrain
{
    public async Task<RerunPlan> PlanRerunAsync(string? fromNode, string? inputJson, string? by = null)
    {
        if (!Execution.Exists)
        {
            return new RerunPlan(RerunOutcome.NotFound, $"no execution '{ExecutionId}'", null);
        }

        // As readers see it: an end not yet durable is not an end.
        if (!_durableStatus.IsTerminal())
        {
            return new RerunPlan(RerunOutcome.NotEnded, $"the execution is {Execution.Status.ToWireName()}; a re-run starts once it has ended", null);
        }

        _workflow ??= await workflows.LoadAsync(Tenant, Execution.WorkflowId, Execution.Version);
        return _workflow is null
            ? new RerunPlan(RerunOutcome.NotFound, $"workflow '{Execution.WorkflowId}' version {Execution.Version} is gone", null)
            : _transitions.PlanRerun(_workflow, fromNode, inputJson, by);
    }

    private void SeedRerun(StartExecution command)
    {
        if (command.Rerun is { } rerun)
        {
            _transitions.SeedRerun(rerun);
        }
    }

    private string StartNodeId(CompiledWorkflow workflow) => Execution.RerunFrom ?? workflow.Start.Id;
}
