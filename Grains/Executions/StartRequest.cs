using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Executions;

/// <summary>What a start request is checked against: its input, and the hash that makes a repeated start idempotent.</summary>
internal static class StartRequest
{
    public static bool TryParseInput(string? json, CompiledWorkflow workflow, out JsonNode? input, out IReadOnlyList<DefinitionProblem> problems)
    {
        input = null;
        try
        {
            input = string.IsNullOrWhiteSpace(json) ? null : JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            problems = [new DefinitionProblem("", $"the input is not valid JSON: {ex.Message}")];
            return false;
        }

        problems = workflow.ValidateInput(input);
        return problems.Count == 0;
    }

    /// <summary>The same request (input compared canonically) has the same hash; a different one conflicts.</summary>
    public static string Hash(StartExecution command)
    {
        string input;
        try
        {
            input = command.InputJson is null ? "null" : DefinitionDocument.Canonical(JsonNode.Parse(command.InputJson));
        }
        catch (JsonException)
        {
            input = command.InputJson!;
        }

        var text = $"{command.WorkflowId}\n{command.Version}\n{input}\n{command.Parent?.ExecutionId}\n{command.Parent?.NodeId}";
        if (command.Rerun is { } rerun)
        {
            // Appended only for a re-run, so the hash of every other start (and of executions already stored) is unchanged.
            text += $"\nrerun\n{rerun.Of}\n{rerun.FromNodeId}";
        }

        if (command.Labels is { Count: > 0 } labels)
        {
            // Only when given, so the hash of a start without labels stays what it was.
            text += "\n" + string.Join("\n", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
