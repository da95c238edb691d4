using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.Compilation;

/// <summary>
/// A generated workflow: a chain of <c>transform</c> nodes, each with a templated <c>set</c> and a
/// conditional edge to the next, so compiling it parses two templates and one condition per node;
/// optionally with a small input schema, which NJsonSchema loads once per compile.
/// </summary>
internal static class ChainWorkflow
{
    public static JsonObject Create(int nodeCount, bool inputSchema = true)
    {
        var nodes = new JsonObject();
        var edges = new JsonArray();
        for (var i = 0; i < nodeCount; i++)
        {
            nodes[$"n{i}"] = new JsonObject
            {
                ["type"] = "transform",
                ["with"] = new JsonObject
                {
                    ["set"] = new JsonObject
                    {
                        [$"v{i}"] = $"${{{{ (state.v{i - 1} ?? input.start) + {i} }}}}",
                        [$"label{i}"] = $"node {i} of {nodeCount}: ${{{{ state.v{i - 1} ?? 'first' }}}}",
                    },
                },
            };
            if (i > 0)
            {
                edges.Add(new JsonObject { ["from"] = $"n{i - 1}", ["to"] = $"n{i}", ["when"] = $"state.v{i - 1} >= input.start" });
            }
        }

        var workflow = new JsonObject
        {
            ["id"] = $"chain-{nodeCount}",
            ["start"] = "n0",
            ["timeout"] = "10m",
            ["nodes"] = nodes,
            ["edges"] = edges,
        };
        if (inputSchema)
        {
            workflow["input"] = new JsonObject { ["type"] = "object", ["required"] = new JsonArray("start") };
        }

        return workflow;
    }
}
