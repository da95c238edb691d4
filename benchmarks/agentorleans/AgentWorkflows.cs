using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>
/// S11's agent: one <c>agent</c> node, 3 model turns on the simulator's <c>sim-stream-N-Dms</c> model (N stamped
/// tokens every turn), the first two calling one tool each: <c>lookup</c>, a transform step, then <c>research</c>,
/// a child workflow. The LangGraph peer (benchmarks/peers/langgraph/agent-graph.mjs) is the same graph.
/// </summary>
public static class AgentWorkflows
{
    public const string Child = "bench-agent-research";

    /// <summary>The prompt the simulator reads its tool calls from: one tool a turn, in this order.</summary>
    public const string Prompt = "use tool lookup, then use tool research, then answer";

    public static string Model(int tokens, int tokenMs) => $"sim-stream-{tokens}-{tokenMs}ms";

    public static string Id(int tokens, int tokenMs) => $"bench-agent-{tokens}x{tokenMs}ms";

    public static JsonObject ChildDefinition() => new()
    {
        ["id"] = Child,
        ["description"] = "the agent's research tool, a child workflow of one transform",
        ["start"] = "research",
        ["timeout"] = "10m",
        ["nodes"] = new JsonObject
        {
            ["research"] = new JsonObject
            {
                ["type"] = "transform",
                ["with"] = new JsonObject { ["set"] = new JsonObject { ["found"] = "${{ input.query }}" } },
            },
        },
        ["edges"] = new JsonArray(),
    };

    public static JsonObject Definition(int tokens, int tokenMs) => new()
    {
        ["id"] = Id(tokens, tokenMs),
        ["description"] = $"S11: an agent of 3 turns of {tokens} tokens at {tokenMs} ms, 2 tool calls (a step, a child workflow)",
        ["start"] = "assist",
        ["timeout"] = "30m",
        ["nodes"] = new JsonObject
        {
            ["assist"] = new JsonObject
            {
                ["type"] = "agent",
                ["with"] = new JsonObject
                {
                    ["model"] = Model(tokens, tokenMs),
                    ["prompt"] = Prompt,
                    ["maxTurns"] = 4,
                    ["tools"] = new JsonArray(
                        Tool("lookup", new JsonObject
                        {
                            ["step"] = new JsonObject
                            {
                                ["type"] = "transform",
                                ["with"] = new JsonObject { ["set"] = new JsonObject { ["found"] = "${{ args.query }}" } },
                            },
                        }),
                        Tool("research", new JsonObject { ["workflowId"] = Child })),
                },
                ["timeout"] = "20m",
            },
        },
        ["edges"] = new JsonArray(),
    };

    private static JsonObject Tool(string name, JsonObject body)
    {
        body["name"] = name;
        body["description"] = $"the {name} tool";
        body["parameters"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["query"] = new JsonObject { ["type"] = "string" } },
            ["required"] = new JsonArray("query"),
        };
        return body;
    }
}
