using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Steps.BuiltIn.Llm;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;
using static AgentOrleans.Tests.Steps.StepSettings;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Steps.Llm;

/// <summary>The llm step's <c>responseFormat</c>: the schema sent, the answer parsed and checked, against the simulator.</summary>
[Collection(ClusterCollection.Name)]
public sealed class StructuredOutputTests(ClusterFixture fixture)
{
    private static readonly JsonObject CitySchema = new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["city"] = new JsonObject { ["type"] = "string" },
            ["population"] = new JsonObject { ["type"] = "integer" },
            ["capital"] = new JsonObject { ["type"] = "boolean" },
        },
        ["required"] = new JsonArray("city", "population"),
    };

    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task TheSchemaIsSentAndTheOutputCarriesTheParsedAnswerThatFollowsIt()
    {
        var marker = NewId("m");

        var done = await RunAsync($"name a city {marker}", "sim-fast", maxAttempts: 1);

        Assert.True(done.Status == ExecutionStatus.Succeeded, $"expected success; saw {done.Status}: {done.Error?.Type} {done.Error?.Message}");
        var output = LlmEvents.Output(done, "ask");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city":"simulated","population":1,"capital":true}"""), output["json"]), output.ToJsonString());
        Assert.Equal(output["json"]!.ToJsonString(), output["content"]!.GetValue<string>());
        var sent = Assert.Single(fixture.Simulator.RequestsWith(marker)).Body!["response_format"]!;
        Assert.Equal("json_schema", sent["type"]!.GetValue<string>());
        // The adapter may tighten the schema for the provider (strict mode); the properties asked for are what must arrive.
        Assert.True(sent["json_schema"]?["schema"]?["properties"] is JsonObject properties && properties.Select(p => p.Key).Order().SequenceEqual(["capital", "city", "population"]), sent.ToJsonString());
    }

    [Fact]
    public async Task AnAnswerThatBreaksTheSchemaFailsTheAttemptAsInvalidModelOutputAndTheRetryIsParsed()
    {
        var marker = NewId("m");

        var execution = await StartAsync($"name a city {marker}", "sim-bad-json", maxAttempts: 2);
        var done = await TerminalAsync(execution);

        Assert.True(done.Status == ExecutionStatus.Succeeded, $"expected success; saw {done.Status}: {done.Error?.Type} {done.Error?.Message}");
        var retrying = JsonNode.Parse(Assert.Single(await EventsAsync(execution), e => e.Type == EventTypes.NodeRetrying).DataJson!)!;
        Assert.Equal("InvalidModelOutput", retrying["type"]!.GetValue<string>());
        Assert.Equal("simulated", LlmEvents.Output(done, "ask")["json"]!["city"]!.GetValue<string>());
        Assert.Equal(2, fixture.Simulator.RequestsWith(marker).Count);
    }

    [Fact]
    public async Task WithoutRetriesTheBrokenAnswerFailsTheNodeNamingEachPointerThatBrokeTheSchema()
    {
        var done = await RunAsync($"name a city {NewId("m")}", "sim-bad-json", maxAttempts: 1);

        Assert.Equal((ExecutionStatus.Failed, "InvalidModelOutput"), (done.Status, done.Error?.Type));
        Assert.Contains("/city", done.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("/population", done.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAnswerThatIsNotJsonIsInvalidModelOutputAndRetryable()
    {
        var (_, compiled) = StructuredOutput.Read(new JsonObject { ["responseFormat"] = CitySchema.DeepClone() })!.Value;

        var error = Assert.Throws<StepException>(() => StructuredOutput.Parse("Sure! The city is Paris.", compiled));

        Assert.Equal("InvalidModelOutput", error.ErrorType);
        Assert.True(error.Retryable);
        Assert.StartsWith("the model's answer is not JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AResponseFormatThatIsNotASchemaObjectIsRefusedAtItsPointer()
    {
        AssertReports(CompileNode("llm", """{"prompt":"hi","responseFormat":"json"}"""), "/nodes/n/with/responseFormat", "must be a JSON Schema object");
        AssertReports(CompileNode("llm", """{"prompt":"hi","responseFormat":{"type":"object","properties":{"a":{"type":"strnig"}}}}"""), "/nodes/n/with/responseFormat/properties/a/type", "must be one of");
    }

    [Fact]
    public void OnlyTheLlmStepTakesAResponseFormat()
    {
        AssertReports(CompileNode("agent", """{"prompt":"hi","responseFormat":{"type":"object"}}"""), "/nodes/n/with/responseFormat", "unknown setting 'responseFormat'");
    }

    private async Task<ExecutionSnapshot> RunAsync(string prompt, string model, int maxAttempts) =>
        await TerminalAsync(await StartAsync(prompt, model, maxAttempts));

    private async Task<IExecutionGrain> StartAsync(string prompt, string model, int maxAttempts)
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["ask"] = Node(
                "llm",
                new JsonObject { ["prompt"] = prompt, ["model"] = model, ["responseFormat"] = CitySchema.DeepClone() },
                retry: new JsonObject { ["maxAttempts"] = maxAttempts, ["initialDelay"] = "10ms" }),
        });
        return await _workflows.StartAsync(workflowId);
    }
}
