using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Secrets;
using AgentOrleans.Grains.Workflows;
using static AgentOrleans.Tests.Workflows.Definitions;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Secrets;

/// <summary>
/// Where <c>${{ secrets.NAME }}</c> may appear (an http node's url and header values) and what the engine renders
/// there: the placeholder, never the value. Everywhere else the value would end up in state, outputs or events,
/// so a reference there refuses the definition, with its pointer.
/// </summary>
public class SecretPlacementTests
{
    private static string Workflow(JsonObject node) => new JsonObject { ["id"] = "w", ["start"] = "n", ["nodes"] = new JsonObject { ["n"] = node } }.ToJsonString();

    private static JsonObject Http(JsonObject with) => new() { ["type"] = "http", ["with"] = with };

    [Fact]
    public void AnHttpNodeReferencesSecretsInItsUrlAndHeadersAndTheEngineRendersThePlaceholders()
    {
        var workflow = Valid(Workflow(Http(new JsonObject
        {
            ["url"] = "https://api.example.com/v1/${{ input.id }}?key=${{secrets.API_KEY}}",
            ["headers"] = new JsonObject { ["Authorization"] = "Bearer ${{ secrets.TOKEN }}", ["Accept"] = "application/json" },
        })));

        var node = workflow.Nodes["n"];
        Assert.Equal(
            [("/nodes/n/with/url", "API_KEY"), ("/nodes/n/with/headers/Authorization", "TOKEN")],
            node.SecretReferences.ToList());
        var rendered = node.RenderSettings(new ExpressionScope(JsonNode.Parse("""{"id": 7}"""), new JsonObject()));
        Assert.Equal("https://api.example.com/v1/7?key=${{ secrets.API_KEY }}", rendered["url"]!.GetValue<string>());
        Assert.Equal("Bearer ${{ secrets.TOKEN }}", rendered["headers"]!["Authorization"]!.GetValue<string>());
    }

    public static TheoryData<string, string> Elsewhere => new()
    {
        // case, definition: node n, and where the problem is reported
        { "/nodes/n/with/body/token", """{"type":"http","with":{"url":"https://example.com","body":{"token":"${{ secrets.TOKEN }}"}}}""" },
        { "/nodes/n/with/set/copy", """{"type":"transform","with":{"set":{"copy":"${{ secrets.TOKEN }}"}}}""" },
        { "/nodes/n/with/prompt", """{"type":"llm","with":{"prompt":"the key is ${{ secrets.TOKEN }}"}}""" },
        { "/nodes/n/with/step/with/url", """{"type":"map","with":{"items":"${{ input.items }}","step":{"type":"http","with":{"url":"https://example.com/${{ secrets.TOKEN }}"}}}}""" },
        {
            "/nodes/n/with/tools/0/step/with/headers/Authorization",
            """{"type":"agent","with":{"prompt":"p","tools":[{"name":"t","step":{"type":"http","with":{"url":"https://example.com","headers":{"Authorization":"${{ secrets.TOKEN }}"}}}}]}}"""
        },
        // No expression sees secrets: a variable named so is refused too, not left to fail at run time.
        { "/nodes/n/with/set/copy", """{"type":"transform","with":{"set":{"copy":"${{ 'x' + secrets.TOKEN }}"}}}""" },
    };

    [Theory]
    [MemberData(nameof(Elsewhere))]
    public void ASecretAnywhereElseIsRefusedWithItsPointer(string pointer, string node)
    {
        var result = CompileJson(Workflow(JsonNode.Parse(node)!.AsObject()));

        AssertReports(result, pointer, "a secret can be used only in an http node's url and header values");
        Assert.Contains(result.Problems, p => p.Message.Contains("state, outputs or events", StringComparison.Ordinal));
    }

    [Fact]
    public void AConditionThatUsesSecretsIsRefused()
    {
        var result = CompileJson("""
            {"id":"w","start":"a","nodes":{"a":{"type":"delay","with":{"duration":"1s"}},"b":{"type":"delay","with":{"duration":"1s"}}},
             "edges":[{"from":"a","to":"b","when":"secrets.TOKEN == 'x'"}]}
            """);

        AssertReports(result, "/edges/0/when", "a secret can be used only in an http node's url and header values");
    }

    [Fact]
    public void ASecretInsideAnExpressionIsRefusedEvenInAHeader()
    {
        var result = CompileJson(Workflow(Http(new JsonObject
        {
            ["url"] = "https://example.com",
            ["headers"] = new JsonObject { ["Authorization"] = "${{ 'Bearer ' + secrets.TOKEN }}" },
        })));

        AssertReports(result, "/nodes/n/with/headers/Authorization", "referenced on its own");
    }

    [Theory]
    [InlineData("https://${{ secrets.HOST }}/v1")]
    [InlineData("https://api.example.com:${{ secrets.PORT }}/v1")]
    [InlineData("https://${{ secrets.USER }}@api.example.com/v1")]
    [InlineData("${{ secrets.WEBHOOK_URL }}")]
    public void ASecretBeforeTheUrlsPathIsRefused(string url)
    {
        var result = CompileJson(Workflow(Http(new JsonObject { ["url"] = url })));

        AssertReports(result, "/nodes/n/with/url", "path, query or fragment only");
    }

    [Theory]
    [InlineData("https://hooks.example.com/services/${{ secrets.HOOK }}")]
    [InlineData("https://api.example.com?key=${{ secrets.KEY }}")]
    [InlineData("https://api.example.com#${{ secrets.KEY }}")]
    public void ASecretInThePathQueryOrFragmentIsAccepted(string url) =>
        Valid(Workflow(Http(new JsonObject { ["url"] = url })));

    [Fact]
    public void APropertyOrStringNamedSecretsIsNotAReference()
    {
        var workflow = Valid(Workflow(new JsonObject
        {
            ["type"] = "transform",
            ["with"] = new JsonObject { ["set"] = new JsonObject { ["a"] = "${{ input.secrets }}", ["b"] = "${{ ({secrets: 1}).secrets }}", ["c"] = "${{ 'secrets' }}" } },
        }));

        var set = workflow.Nodes["n"].RenderSettings(new ExpressionScope(JsonNode.Parse("""{"secrets": "public"}"""), new JsonObject()))["set"]!;
        Assert.Equal("public", set["a"]!.GetValue<string>());
        Assert.Equal(1, set["b"]!.GetValue<int>());
        Assert.Equal("secrets", set["c"]!.GetValue<string>());
    }

    [Fact]
    public async Task OnlyTheDefinitionsOwnPlaceholdersAreResolvedNeverOnesInData()
    {
        var problems = new ProblemList();
        var template = JsonTemplate.Compile(JsonValue.Create("${{ input.q }}&key=${{ secrets.KEY }}"), "/url", problems.Add, _ => true);
        var values = await SecretValues.ResolveAsync(new FixedStore(("KEY", "k-1"), ("OTHER", "o-2")), ISecretStore.DefaultTenant, ["KEY"], CancellationToken.None);

        // An input that spells a reference is data: it is sent as written, and never swapped for a secret.
        var sent = template.Render(new ExpressionScope(JsonNode.Parse("""{"q": "${{ secrets.OTHER }}"}"""), new JsonObject()), values);

        Assert.Empty(problems);
        Assert.Equal("${{ secrets.OTHER }}&key=k-1", sent!.GetValue<string>());
    }

    private sealed class FixedStore(params (string Name, string Value)[] secrets) : ISecretStore
    {
        public ValueTask<bool> ExistsAsync(string tenant, string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(secrets.Any(s => s.Name == name));

        public ValueTask<string?> GetAsync(string tenant, string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult<string?>(secrets.FirstOrDefault(s => s.Name == name).Value);
    }
}
