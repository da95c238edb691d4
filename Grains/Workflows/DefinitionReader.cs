using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// Reads the definition format (see schemas/workflow.json) from a JSON tree, checking shapes
/// and values and listing every problem with its pointer. Graph and step checks are the
/// compiler's.
/// </summary>
public static partial class DefinitionReader
{
    private static readonly string[] TopLevel = ["$schema", "id", "description", "start", "timeout", "input", "nodes", "edges", "retention", "budget"];

    public static WorkflowDefinition? Read(JsonNode? root, ProblemList problems)
    {
        if (root is not JsonObject doc)
        {
            problems.Add("", "a definition must be a JSON object");
            return null;
        }

        RejectUnknown(doc, "", TopLevel, problems);
        var id = RequiredString(doc, "id", "", problems);
        if (id is not null && !WorkflowId().IsMatch(id))
        {
            problems.Add("/id", "must start with a letter or digit and hold only letters, digits, '.', '_' and '-' (at most 128)");
        }

        var description = OptionalString(doc, "description", "", problems);
        var start = RequiredString(doc, "start", "", problems);
        var timeout = OptionalDuration(doc, "timeout", "", problems);
        var input = doc["input"];
        if (input is not null and not JsonObject)
        {
            problems.Add("/input", "must be a JSON Schema object");
        }

        var retention = ReadRetention(doc, problems);
        var budget = Usage.BudgetReader.Read(doc["budget"], "/budget", problems);
        var nodes = ReadNodes(doc["nodes"], problems);
        var edges = ReadEdges(doc["edges"], problems);
        return id is null || start is null || nodes is null
            ? null
            : new WorkflowDefinition(id, description, start, timeout, input as JsonObject, nodes, edges) { Retention = retention, Budget = budget };
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\z")]
    public static partial Regex WorkflowId();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_-]{0,63}\z")]
    private static partial Regex NodeId();
}
