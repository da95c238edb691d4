namespace AgentOrleans.McpTestServer;

/// <summary>A fixed in-memory folder: no tool of a test server should reach the real file system.</summary>
public static class SandboxFiles
{
    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["notes.txt"] = "Remember the milk.",
        ["todo.md"] = "- ship the MCP tools\n- write the docs",
    };

    public static IEnumerable<string> Names => Files.Keys.Order(StringComparer.Ordinal);

    public static string? Read(string path) => Files.GetValueOrDefault(path);
}
