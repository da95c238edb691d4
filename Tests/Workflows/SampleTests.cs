namespace AgentOrleans.Tests.Workflows;

public class SampleTests
{
    public static TheoryData<string> SampleFiles()
    {
        var files = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(RepositoryFiles.Samples).Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetFileName(path));
        }

        return files;
    }

    [Fact]
    public void TheSamplesFolderHoldsJsonAndYamlDefinitions()
    {
        var names = Directory.EnumerateFiles(RepositoryFiles.Samples).Select(Path.GetFileName).ToList();

        Assert.Contains(names, n => n!.EndsWith(".json", StringComparison.Ordinal));
        Assert.Contains(names, n => n!.EndsWith(".yaml", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void EverySampleCompiles(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.Samples, fileName));

        var result = fileName.EndsWith(".json", StringComparison.Ordinal) ? Definitions.CompileJson(text) : Definitions.CompileYaml(text);

        Assert.True(result.Workflow is not null, $"{fileName} did not compile: {Problems.Describe(result.Problems)}");
    }
}
