using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace AgentOrleans.McpTestServer;

/// <summary>The tools the server offers: plain, deterministic, and one way to fail (a file that is not there).</summary>
[McpServerToolType]
public sealed class TestTools
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Tallies = new(StringComparer.Ordinal);

    [McpServerTool(Name = "echo", ReadOnly = true), Description("Answers with the message it was given.")]
    public static string Echo([Description("The text to send back.")] string message) => message;

    [McpServerTool(Name = "add", ReadOnly = true), Description("Adds two whole numbers.")]
    public static long Add([Description("The first number.")] long a, [Description("The second number.")] long b) => a + b;

    [McpServerTool(Name = "list_files", ReadOnly = true), Description("Names the files of the sandbox.")]
    public static string ListFiles() => string.Join('\n', SandboxFiles.Names);

    [McpServerTool(Name = "tally"), Description("Counts its calls with this key in this process and answers the count: a call made twice shows.")]
    public static int Tally([Description("What to count calls of.")] string key) => Tallies.AddOrUpdate(key, 1, (_, n) => n + 1);

    [McpServerTool(Name = "has_env", ReadOnly = true), Description("Whether the process has an environment variable (never its value).")]
    public static string HasEnv([Description("The variable's name.")] string name) => Environment.GetEnvironmentVariable(name) is null ? "no" : "yes";

    [McpServerTool(Name = "exit"), Description("Replies, then ends the server process: a server that dies between calls.")]
    public static string Exit()
    {
        _ = Task.Run(async () =>
        {
            await Task.Delay(200);
            Environment.Exit(0);
        });
        return "bye";
    }

    /// <exception cref="McpException">There is no such file: the client receives a result with isError set and this message.</exception>
    [McpServerTool(Name = "read_file", ReadOnly = true), Description("Reads one file of the sandbox.")]
    public static string ReadFile([Description("The file's name, as list_files gives it.")] string path) =>
        SandboxFiles.Read(path) ?? throw new McpException($"no file '{path}' in the sandbox; files: {string.Join(", ", SandboxFiles.Names)}");
}
