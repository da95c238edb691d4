namespace AgentOrleans.Tests.Workflows;

/// <summary>Files of the repository the tests run from, found by walking up to the solution file.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentOrleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no AgentOrleans.sln above {AppContext.BaseDirectory}");
    }
}
