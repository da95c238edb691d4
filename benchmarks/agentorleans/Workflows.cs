using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>The workflows the scenarios start, published by the tool itself.</summary>
public static class Workflows
{
    /// <summary>The peers' workload: a chain of three no-op steps (three <c>transform</c> nodes, literal <c>set</c>).</summary>
    public const string Noop3 = "bench-noop3";

    /// <summary>An idle execution: a first <c>delay</c> node of one hour, then a transform.</summary>
    public const string LongDelay = "bench-long-delay";

    /// <summary>A waiting execution: its first node waits for a signal that never comes.</summary>
    public const string WaitSignal = "bench-wait-signal";

    /// <summary>
    /// S8's run: a release gate, then the peers' three steps, each an <c>http</c> POST that the load tool counts
    /// per run and node (the peers' S8 steps count themselves the same way). See <see cref="ProbeEndpoint"/>.
    /// </summary>
    public const string Counted3 = "bench-counted3-gated";

    /// <summary>What each schedule fire of S10 starts: one no-op step (the peers' scheduled task is one no-op).</summary>
    public const string Noop1 = "bench-noop1";

    /// <summary>Many short nodes, after a first delay that lets SSE clients connect.</summary>
    public static string Steps(int nodes, int stepMs, int firstDelayMs) => $"bench-steps-{nodes}x{stepMs}ms-after-{firstDelayMs}ms";

    public static JsonObject Noop3Definition() => Chain(Noop3, "3 no-op steps (the peers' workload)",
        [
            ("step1", Transform(1)),
            ("step2", Transform(2)),
            ("step3", Transform(3)),
        ]);

    public static JsonObject Noop1Definition() => Chain(Noop1, "1 no-op step (what a schedule fire starts in S10)", [("step1", Transform(1))]);

    public static JsonObject Counted3Definition(ProbeEndpoint probe)
    {
        var definition = Chain(Counted3, "a release gate, then 3 steps that count themselves (S8)",
            [
                ("gate", Http("GET", probe.Gate)),
                ("step1", Http("POST", probe.Step)),
                ("step2", Http("POST", probe.Step)),
                ("step3", Http("POST", probe.Step)),
            ]);

        // A gate call that was not released within its bound is made again (a slow start phase on a busy machine).
        definition["nodes"]!["gate"]!["maxVisits"] = 30;
        definition["edges"]!.AsArray().Insert(0, new JsonObject { ["from"] = "gate", ["to"] = "gate", ["when"] = "state.gate.body.released !== true" });
        return definition;
    }

    public static JsonObject LongDelayDefinition() => Chain(LongDelay, "an idle execution: waits an hour",
        [
            ("wait", Delay("1h")),
            ("done", Transform(1)),
        ],
        timeout: "2h");

    public static JsonObject WaitSignalDefinition() => Chain(WaitSignal, "a waiting execution: waits for a signal",
        [
            ("wait", new JsonObject { ["type"] = "wait", ["with"] = new JsonObject { ["signal"] = "go" } }),
            ("done", Transform(1)),
        ],
        timeout: "2h");

    public static JsonObject StepsDefinition(int nodes, int stepMs, int firstDelayMs)
    {
        var list = new List<(string, JsonObject)> { ("connect", Delay($"{firstDelayMs}ms")) };
        for (var i = 1; i <= nodes; i++)
        {
            list.Add(($"n{i}", Delay($"{stepMs}ms")));
        }

        return Chain(Steps(nodes, stepMs, firstDelayMs), "many short delay steps", list);
    }

    private static JsonObject Transform(int i) => new()
    {
        ["type"] = "transform",
        ["with"] = new JsonObject { ["set"] = new JsonObject { [$"s{i}"] = "done" } },
    };

    private static JsonObject Http(string method, Uri url) => new()
    {
        ["type"] = "http",
        ["with"] = new JsonObject { ["method"] = method, ["url"] = url.ToString(), ["timeout"] = "30s" },
        ["timeout"] = "1m",
    };

    private static JsonObject Delay(string duration) => new()
    {
        ["type"] = "delay",
        ["with"] = new JsonObject { ["duration"] = duration },
        ["timeout"] = "2h",
    };

    private static JsonObject Chain(string id, string description, List<(string Id, JsonObject Node)> nodes, string timeout = "10m")
    {
        var map = new JsonObject();
        var edges = new JsonArray();
        for (var i = 0; i < nodes.Count; i++)
        {
            map[nodes[i].Id] = nodes[i].Node;
            if (i > 0)
            {
                edges.Add(new JsonObject { ["from"] = nodes[i - 1].Id, ["to"] = nodes[i].Id });
            }
        }

        return new JsonObject
        {
            ["id"] = id,
            ["description"] = description,
            ["start"] = nodes[0].Id,
            ["timeout"] = timeout,
            ["nodes"] = map,
            ["edges"] = edges,
        };
    }
}
