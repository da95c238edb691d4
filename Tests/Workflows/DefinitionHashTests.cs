using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Tests.Workflows;

public class DefinitionHashTests
{
    private static string HashOfJson(string json)
    {
        var problems = new ProblemList();
        var document = DefinitionDocument.ParseJson(json, problems);
        Assert.Empty(problems);
        return DefinitionDocument.Hash(document);
    }

    private static string Sample(string fileName) => File.ReadAllText(Path.Combine(RepositoryFiles.Samples, fileName));

    [Fact]
    public void TheYamlAndJsonHelloSamplesHaveTheSameCanonicalFormAndHash()
    {
        var problems = new ProblemList();
        var json = DefinitionDocument.ParseJson(Sample("hello.json"), problems);
        var yaml = DefinitionDocument.ParseYaml(Sample("hello.yaml"), problems);

        Assert.Empty(problems);
        Assert.Equal(DefinitionDocument.Canonical(json), DefinitionDocument.Canonical(yaml));
        Assert.Equal(DefinitionDocument.Hash(json), DefinitionDocument.Hash(yaml));
    }

    [Fact]
    public void KeyOrderAndWhitespaceDoNotChangeTheHash()
    {
        var compact = """{"id":"a","start":"s","nodes":{"s":{"type":"delay","with":{"duration":"1s"}}}}""";
        var reordered = """
            {
              "nodes": { "s": { "with": { "duration": "1s" },  "type": "delay" } },
              "start": "s",
              "id": "a"
            }
            """;

        Assert.Equal(HashOfJson(compact), HashOfJson(reordered));
    }

    [Fact]
    public void ChangedContentChangesTheHash()
    {
        var before = """{"id":"a","start":"s","nodes":{"s":{"type":"delay","with":{"duration":"1s"}}}}""";
        var after = """{"id":"a","start":"s","nodes":{"s":{"type":"delay","with":{"duration":"2s"}}}}""";

        Assert.NotEqual(HashOfJson(before), HashOfJson(after));
    }

    [Fact]
    public void TheHashIsLowercaseHexSha256()
    {
        Assert.Matches("^[0-9a-f]{64}$", HashOfJson("""{"id":"a"}"""));
    }
}
