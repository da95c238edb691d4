using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Steps;

/// <summary>Where a step type reports problems with a node's settings, and what it may consult.</summary>
public sealed class SettingsValidation(string settingsPointer, ProblemList problems, StepRegistry registry, bool publishing = true)
{
    public StepRegistry Registry => registry;

    /// <summary>
    /// Whether a definition is being published. Checks against this silo's configuration (providers, MCP servers) run
    /// only then: a stored version compiled again at run time must not stop compiling when configuration changes, and
    /// its node fails with a clear error instead.
    /// </summary>
    public bool Publishing => publishing;

    /// <summary>The pointer of the <c>with</c> object these settings came from.</summary>
    public string Pointer => settingsPointer;

    /// <param name="relativePointer">Relative to <c>with</c>, such as <c>/duration</c>; empty for <c>with</c> itself.</param>
    /// <param name="message">What is wrong, said to the author of the definition.</param>
    public void Problem(string relativePointer, string message) => problems.Add(settingsPointer + relativePointer, message);

    /// <summary>Validation for settings nested inside these (a step inside <c>map</c>).</summary>
    public SettingsValidation Nested(string relativePointer) => new(settingsPointer + relativePointer, problems, registry, publishing);
}
