using System.Text.Json.Nodes;
using AgentOrleans.Client.Http;
using AgentOrleans.Tests.Infrastructure;

namespace AgentOrleans.Tests.Explorer;

/// <summary>Sets up what the page shows through the typed client: a workflow of nodes chained in order, and its runs.</summary>
public static class ExplorerRuns
{
    public static async Task<string> PublishAsync(AgentOrleansClient client, JsonObject nodes)
    {
        var id = Runs.NewId("wf");
        var names = nodes.Select(n => n.Key).ToList();
        var definition = new JsonObject
        {
            ["id"] = id,
            ["start"] = names[0],
            ["nodes"] = nodes,
            ["edges"] = new JsonArray(names.Zip(names.Skip(1), (a, b) => (JsonNode)new JsonObject { ["from"] = a, ["to"] = b }).ToArray()),
        };
        await client.PublishWorkflowAsync(id, definition.ToJsonString());
        return id;
    }

    public static async Task<string> StartAsync(AgentOrleansClient client, JsonObject nodes, JsonNode? input = null) =>
        (await client.StartAsync(new StartRequest(await PublishAsync(client, nodes), input))).Id;
}
