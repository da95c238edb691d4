namespace AgentOrleans.Grains.StartupTasks;

/// <summary>One configured startup task, <c>AgentOrleans:StartupTasks:{Name}</c>.</summary>
public sealed record StartupTask(string Name, string WorkflowId, int? Version, string? InputJson, string RunKey, bool GatesReadiness)
{
    public StartupTaskSpec Spec => new(WorkflowId, Version, InputJson, RunKey);
}
