using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Grains.Steps;

/// <summary>The step types registered by name, built-in and user alike.</summary>
public sealed class StepRegistry
{
    private readonly Dictionary<string, IStep> _steps;

    public StepRegistry(IEnumerable<StepRegistration> registrations, IServiceProvider services)
    {
        _steps = new Dictionary<string, IStep>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            // Last registration of a name wins, so users can replace a built-in type.
            _steps[registration.Name] = (IStep)ActivatorUtilities.GetServiceOrCreateInstance(services, registration.StepType);
        }
    }

    public IReadOnlyCollection<string> Names => _steps.Keys;

    public bool TryGet(string name, out IStep step) => _steps.TryGetValue(name, out step!);
}

/// <summary>One step type registered under a name.</summary>
public sealed record StepRegistration(string Name, Type StepType);
