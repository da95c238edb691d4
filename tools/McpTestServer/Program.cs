namespace AgentOrleans.McpTestServer;

// A named entry point rather than top-level statements: two global Program types would collide where this
// project is referenced next to the Api.
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--fail-at-start"))
        {
            // A server that cannot start (a missing dependency, a bad key): what it says on stderr is what an operator reads.
            await Console.Error.WriteLineAsync("McpTestServer: refusing to start (--fail-at-start)");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(args);
        // stdout carries the protocol: every log line goes to stderr.
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddMcpServer().WithStdioServerTransport().WithTools<TestTools>();
        await builder.Build().RunAsync();
        return 0;
    }
}
