using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Steps;

/// <summary>
/// A step type: the unit of work a node runs. Built-in types and user code implement this one
/// interface and are registered by name with <see cref="StepServiceCollectionExtensions.AddStep{TStep}"/>.
/// Instances are singletons: keep per-run data in the <see cref="StepContext"/>, not in fields.
/// </summary>
public interface IStep
{
    /// <summary>
    /// Checks a node's <c>with</c> settings when a definition is compiled. Report each problem
    /// with a pointer relative to <c>with</c> (for example <c>/duration</c>). Default: any settings.
    /// </summary>
    void ValidateSettings(JsonObject? settings, SettingsValidation validation)
    {
    }

    /// <summary>
    /// Names of top-level settings that the engine must not render before the step runs,
    /// because the step renders them itself with names of its own in scope (as <c>map</c> does
    /// with <c>item</c>).
    /// </summary>
    IReadOnlySet<string> DeferredSettings => EmptySet;

    /// <summary>
    /// Names of top-level settings (not deferred ones) whose strings may reference secrets as
    /// <c>${{ secrets.NAME }}</c>; anywhere else a reference is refused at publish, and so is one the
    /// secret store does not know. The engine renders these settings into <see cref="StepContext.Settings"/>
    /// with each reference left as its placeholder, never the value, and hands the step their templates
    /// (<see cref="StepContext.SecretSettings"/>) to render with the values where they are sent, and nowhere else.
    /// </summary>
    IReadOnlySet<string> SecretSettings => EmptySet;

    /// <summary>
    /// Runs one attempt. Throw to fail it (<see cref="StepException"/> names the error type the
    /// retry policy matches on); honour <see cref="StepContext.CancellationToken"/>.
    /// </summary>
    Task<StepResult> ExecuteAsync(StepContext context);

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();
}
