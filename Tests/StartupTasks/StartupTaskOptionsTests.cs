using System.Text.Json.Nodes;
using AgentOrleans.Grains.StartupTasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Tests.StartupTasks;

public sealed class StartupTaskOptionsTests
{
    private static StartupTaskOptions Read(Dictionary<string, string?> settings)
    {
        var options = new StartupTaskOptions();
        StartupTaskOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), options);
        return options;
    }

    [Fact]
    public void ATaskReadsItsWorkflowVersionInputRunKeyAndWhetherItGatesReadiness()
    {
        var options = Read(new()
        {
            ["AgentOrleans:StartupTasks:seed:WorkflowId"] = "seed-db",
            ["AgentOrleans:StartupTasks:seed:Version"] = "3",
            ["AgentOrleans:StartupTasks:seed:Input"] = """{"rows": 10, "tags": ["a"]}""",
            ["AgentOrleans:StartupTasks:seed:RunKey"] = "2026-12-02/v1",
            ["AgentOrleans:StartupTasks:seed:GatesReadiness"] = "true",
        });

        Assert.Empty(options.Problems);
        var task = options.Tasks["seed"];
        Assert.Equal(new StartupTask("seed", "seed-db", 3, """{"rows":10,"tags":["a"]}""", "2026-12-02/v1", GatesReadiness: true), task);
    }

    [Fact]
    public void AnInputGivenAsAnObjectIsReadAsJsonWithStringValuesAndArrays()
    {
        var options = Read(new()
        {
            ["AgentOrleans:StartupTasks:models:WorkflowId"] = "download",
            ["AgentOrleans:StartupTasks:models:RunKey"] = "1",
            ["AgentOrleans:StartupTasks:models:Input:directory"] = "models",
            ["AgentOrleans:StartupTasks:models:Input:names:0"] = "small",
            ["AgentOrleans:StartupTasks:models:Input:names:1"] = "large",
        });

        Assert.Empty(options.Problems);
        var input = JsonNode.Parse(options.Tasks["models"].InputJson!)!;
        Assert.Equal("models", input["directory"]!.GetValue<string>());
        Assert.Equal(["small", "large"], input["names"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False(options.Tasks["models"].GatesReadiness);
        Assert.Null(options.Tasks["models"].Version);
    }

    [Fact]
    public void EveryProblemOfEveryTaskIsNamedByItsKeyAndTheTaskIsLeftOut()
    {
        var options = Read(new()
        {
            ["AgentOrleans:StartupTasks:a:Version"] = "zero",
            ["AgentOrleans:StartupTasks:a:GatesReadiness"] = "maybe",
            ["AgentOrleans:StartupTasks:a:Input"] = "{not json",
            ["AgentOrleans:StartupTasks:a:RunKye"] = "typo",
            ["AgentOrleans:StartupTasks:b c:WorkflowId"] = "w",
            ["AgentOrleans:StartupTasks:b c:RunKey"] = "1",
            ["AgentOrleans:StartupTasks:ok:WorkflowId"] = "w",
            ["AgentOrleans:StartupTasks:ok:RunKey"] = "1",
        });

        Assert.Equal(["ok"], options.Tasks.Keys);
        string[] expected =
        [
            "AgentOrleans:StartupTasks:a:WorkflowId is required",
            "AgentOrleans:StartupTasks:a:RunKey is required",
            "AgentOrleans:StartupTasks:a:Version must be",
            "AgentOrleans:StartupTasks:a:GatesReadiness must be true or false",
            "AgentOrleans:StartupTasks:a:Input is not JSON",
            "AgentOrleans:StartupTasks:a:RunKye: unknown setting",
            "AgentOrleans:StartupTasks:b c: a task name",
        ];
        foreach (var start in expected)
        {
            Assert.True(options.Problems.Any(p => p.StartsWith(start, StringComparison.Ordinal)), $"expected a problem starting '{start}'; saw:\n{string.Join("\n", options.Problems)}");
        }

        Assert.Equal(expected.Length, options.Problems.Count);
    }

    [Fact]
    public void ABadTaskStopsTheStartNamingItsKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentOrleans:StartupTasks:seed:WorkflowId"] = "seed-db",
        }).Build();
        using var services = new ServiceCollection().AddStartupTaskOptions(configuration).AddStartupTaskOptions(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StartupTaskOptions>>().Value);

        Assert.Equal(["AgentOrleans:StartupTasks:seed:RunKey is required (the task runs once per cluster per run key)"], error.Failures);
    }

    [Fact]
    public void RegisteringTheOptionsTwiceReadsEachTaskOnce()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentOrleans:StartupTasks:seed:WorkflowId"] = "seed-db",
            ["AgentOrleans:StartupTasks:seed:RunKey"] = "1",
            ["AgentOrleans:StartupTasks:seed:Input:0"] = "x",
        }).Build();
        using var services = new ServiceCollection().AddStartupTaskOptions(configuration).AddStartupTaskOptions(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<StartupTaskOptions>>().Value;

        Assert.Equal("""["x"]""", options.Tasks["seed"].InputJson);
        Assert.Empty(options.Problems);
    }
}
