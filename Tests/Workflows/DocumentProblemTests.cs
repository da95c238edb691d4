using AgentOrleans.Grains.Workflows;
using static AgentOrleans.Tests.Workflows.Definitions;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Workflows;

/// <summary>Text that is not a definition document at all, or repeats a key.</summary>
public class DocumentProblemTests
{
    [Fact]
    public void TextThatIsNotJsonIsReportedAtTheRoot()
    {
        var result = CompileJson("id: hello\nstart: a");

        AssertReports(result, "", "not valid JSON");
    }

    [Fact]
    public void TextThatIsNotYamlIsReportedAtTheRoot()
    {
        var result = CompileYaml("id: hello\nnodes: [unclosed\n  a: {");

        AssertReports(result, "", "not valid YAML");
    }

    [Fact]
    public void AJsonValueThatIsNotAnObjectIsNotADefinition()
    {
        var result = CompileJson("[1, 2, 3]");

        AssertReports(result, "", "a definition must be a JSON object");
    }

    [Fact]
    public void AYamlScalarIsNotADefinition()
    {
        var result = CompileYaml("just some words");

        AssertReports(result, "", "a definition must be a JSON object");
    }

    [Fact]
    public void ADuplicateNodeIdInJsonIsReportedAtTheSecondOne()
    {
        var result = CompileJson("""
            {"id":"w","start":"a","nodes":{
              "a":{"type":"delay","with":{"duration":"1s"}},
              "a":{"type":"transform","with":{"set":{"x":1}}}}}
            """);

        AssertReports(result, "/nodes/a", "duplicate key 'a'");
    }

    [Fact]
    public void ADuplicateNodeIdInYamlIsReportedAtTheSecondOne()
    {
        var result = CompileYaml("""
            id: w
            start: a
            nodes:
              a:
                type: delay
                with: { duration: 1s }
              a:
                type: transform
                with: { set: { x: 1 } }
            """);

        AssertReports(result, "/nodes/a", "duplicate key 'a'");
    }

    [Fact]
    public void MoreThanOneYamlDocumentIsRefused()
    {
        var problems = new ProblemList();

        DefinitionDocument.ParseYaml("id: a\n---\nid: b\n", problems);

        AssertReports(problems, "", "exactly one document");
    }

    [Fact]
    public void AYamlAliasIsRefusedAtItsPointer()
    {
        var problems = new ProblemList();

        DefinitionDocument.ParseYaml("base: &b { type: delay }\nnodes:\n  a: *b\n", problems);

        AssertReports(problems, "/nodes/a", "aliases are not supported");
    }

    [Fact]
    public void PlainYamlScalarsAreTypedAndQuotedOnesStayStrings()
    {
        var problems = new ProblemList();

        var document = DefinitionDocument.ParseYaml("plain: [3, 2.5, true, null, text]\nquoted: ['3', \"true\"]\n", problems);

        Assert.Empty(problems);
        Assert.Equal("""{"plain":[3,2.5,true,null,"text"],"quoted":["3","true"]}""", document!.ToJsonString());
    }
}
