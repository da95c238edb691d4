using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.Steps;

/// <summary>
/// The execution's account of model usage, as a step attempt sees it: the budget in force, what was used so far (this
/// attempt's calls included), and the means to record a model call or a child execution's usage. A record returns once it
/// is durable, checkpointed with the step's progress, so a resumed attempt neither loses nor repeats it.
/// </summary>
public interface IUsageLedger
{
    /// <summary>The workflow of the execution, for metrics.</summary>
    string WorkflowId { get; }

    ExecutionBudget? Budget { get; }

    ExecutionUsage Used { get; }

    /// <summary>One model call answered: adds <paramref name="usage"/> under <paramref name="model"/>.</summary>
    Task RecordAsync(string model, ModelUsage usage, CancellationToken cancellationToken);

    /// <summary>A child execution ended: its usage joins this one's, once per child however often the attempt runs.</summary>
    Task RecordChildAsync(string childId, ExecutionUsage usage, CancellationToken cancellationToken);
}

/// <summary>Ledgers that are not the engine's.</summary>
public static class UsageLedgers
{
    /// <summary>Records nothing and has no budget: for steps run outside an execution (tests, tools).</summary>
    public static IUsageLedger None { get; } = new NoLedger();

    private sealed class NoLedger : IUsageLedger
    {
        public string WorkflowId => "";

        public ExecutionBudget? Budget => null;

        public ExecutionUsage Used => ExecutionUsage.None;

        public Task RecordAsync(string model, ModelUsage usage, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RecordChildAsync(string childId, ExecutionUsage usage, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
