using AgentOrleans.Grains.Steps;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Tests.Steps;

public class StepRegistryTests
{
    private sealed class EchoStep : IStep
    {
        public Task<StepResult> ExecuteAsync(StepContext context) => Task.FromResult(new StepResult(context.Input));
    }

    [Fact]
    public void TheBuiltInStepTypesAreRegisteredByName()
    {
        Assert.Equal(["agent", "delay", "http", "llm", "map", "subworkflow", "transform", "wait"], TestSteps.Registry.Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AUserStepTypeIsRegisteredUnderItsName()
    {
        var services = new ServiceCollection();
        services.AddSingleton<StepRegistry>();
        services.AddStep<EchoStep>("echo");

        var registry = services.BuildServiceProvider().GetRequiredService<StepRegistry>();

        Assert.True(registry.TryGet("echo", out var step));
        Assert.IsType<EchoStep>(step);
    }
}
