using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.StartupTasks;

/// <summary>
/// Workflows the engine publishes itself, in code, when a startup task names one: there is nothing yet to publish them
/// with when the cluster first starts. Their ids start with <c>agentorleans.</c>.
/// </summary>
public static class BuiltInWorkflows
{
    /// <summary>Publishes every definition in the directory <c>input.directory</c> (see <see cref="PublishWorkflowsStep"/>).</summary>
    public const string PublishWorkflows = "agentorleans.publish-workflows";

    private static readonly Dictionary<string, string> Definitions = new(StringComparer.Ordinal)
    {
        [PublishWorkflows] = new JsonObject
        {
            ["id"] = PublishWorkflows,
            ["description"] = "Publishes every workflow definition (*.json, *.yaml, *.yml) in a directory of the silo's; for startup tasks.",
            ["input"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["directory"] = new JsonObject { ["type"] = "string" } },
                ["required"] = new JsonArray("directory"),
            },
            ["start"] = "publish",
            ["nodes"] = new JsonObject
            {
                ["publish"] = new JsonObject
                {
                    ["type"] = PublishWorkflowsStep.TypeName,
                    ["with"] = new JsonObject { ["directory"] = "${{ input.directory }}" },
                    ["retry"] = new JsonObject { ["maxAttempts"] = 3, ["initialDelay"] = "1s", ["backoff"] = 2.0 },
                },
            },
            ["edges"] = new JsonArray(),
        }.ToJsonString(),
    };

    /// <summary>The definition (JSON) of a built-in workflow; null when <paramref name="workflowId"/> is none.</summary>
    public static string? Find(string workflowId) => Definitions.GetValueOrDefault(workflowId);
}
