namespace AgentOrleans.Grains.StartupTasks;

/// <summary>
/// One run-once startup task, keyed by its name: which run key it has run for, the execution that ran it and how that
/// ended. Silos ask it to run at every start; it starts <c>startup:{name}:{hash of the run key}</c> once per run key,
/// however many ask at the same moment (a grain's calls take turns, and the execution's start is idempotent).
/// </summary>
[Alias("AgentOrleans.IStartupTaskGrain")]
public interface IStartupTaskGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the task's execution for <see cref="StartupTaskSpec.RunKey"/> unless it was started for that run key before,
    /// then returns what is known of it. A start that could not be made (no such workflow yet, admission full) leaves
    /// the task pending, to be asked again.
    /// </summary>
    [Alias("Run")]
    Task<StartupTaskView> RunAsync(StartupTaskSpec spec);

    /// <summary>The task's run, its status brought up to date from its execution; null when it never ran.</summary>
    [Alias("Get")]
    Task<StartupTaskView?> GetAsync();
}
