using System.Text.Json.Nodes;
using AgentOrleans.Grains.Retention;

namespace AgentOrleans.Grains.Workflows;

public static partial class DefinitionReader
{
    private static readonly string[] RetentionFields = ["succeeded", "failed", "cancelled"];

    /// <summary>Longest retention a definition may ask for: ten years.</summary>
    public static readonly TimeSpan MaxRetention = TimeSpan.FromDays(3650);

    /// <summary><c>retention</c>: <c>{"succeeded"?: "3d", "failed"?: "90d", "cancelled"?: "1d"}</c>, each positive and at most ten years.</summary>
    private static WorkflowRetention? ReadRetention(JsonObject doc, ProblemList problems)
    {
        if (doc["retention"] is null)
        {
            return null;
        }

        if (doc["retention"] is not JsonObject retention)
        {
            problems.Add("/retention", "must be an object such as {\"succeeded\": \"3d\", \"failed\": \"90d\", \"cancelled\": \"1d\"}");
            return null;
        }

        RejectUnknown(retention, "/retention", RetentionFields, problems);
        TimeSpan? Read(string name)
        {
            var value = OptionalDuration(retention, name, "/retention", problems);
            if (value is { } d && (d <= TimeSpan.Zero || d > MaxRetention))
            {
                problems.Add($"/retention/{name}", "must be positive and at most 3650d");
                return null;
            }

            return value;
        }

        return new WorkflowRetention(Read("succeeded"), Read("failed"), Read("cancelled"));
    }
}
