namespace AgentOrleans.LlmSimulator;

// A named entry point rather than top-level statements: the tests reference this project next to
// Api, and two global Program types would collide.
internal static class Program
{
    public static Task Main(string[] args) => SimulatorApp.Build(args).RunAsync();
}
