using System.Text.Json.Nodes;
using NJsonSchema;

namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// A definition validated, its step types resolved and its expressions parsed: immutable, shared
/// by every execution pinned to (<see cref="WorkflowId"/>, <see cref="Version"/>).
/// </summary>
public sealed class CompiledWorkflow
{
    internal CompiledWorkflow(
        string workflowId, int version, CompiledNode start, TimeSpan? timeout, JsonSchema? inputSchema, IReadOnlyDictionary<string, CompiledNode> nodes)
    {
        WorkflowId = workflowId;
        Version = version;
        Start = start;
        Timeout = timeout;
        InputSchema = inputSchema;
        Nodes = nodes;
    }

    public string WorkflowId { get; }

    public int Version { get; }

    public CompiledNode Start { get; }

    /// <summary>The overall deadline, counted from the execution's start.</summary>
    public TimeSpan? Timeout { get; }

    public JsonSchema? InputSchema { get; }

    public IReadOnlyDictionary<string, CompiledNode> Nodes { get; }

    /// <summary>The definition's <c>retention</c>: how long its finished executions are kept; null keeps the configured defaults.</summary>
    public Retention.WorkflowRetention? Retention { get; init; }

    /// <summary>The definition's <c>budget</c> for each execution's model calls, tightened by a start request's; null is unlimited.</summary>
    public Executions.ExecutionBudget? Budget { get; init; }

    /// <summary>Every way <paramref name="input"/> breaks the definition's input schema, with pointers into the input.</summary>
    public IReadOnlyList<DefinitionProblem> ValidateInput(JsonNode? input) =>
        InputSchema is null ? [] : JsonSchemas.Check(InputSchema, input);
}
