namespace AgentOrleans.Grains.Telemetry;

/// <summary>
/// Names of the model-call telemetry: the activity source and meter Microsoft.Extensions.AI's OpenTelemetry chat
/// client writes to (the GenAI semantic conventions: spans <c>chat {model}</c>, metrics
/// <c>gen_ai.client.token.usage</c> and <c>gen_ai.client.operation.duration</c>), and the tags we add to its spans.
/// </summary>
public static class GenAiTelemetry
{
    public const string SourceName = "AgentOrleans.GenAI";

    public const string WorkflowTag = "agentorleans.workflow.id";

    public const string NodeTag = "agentorleans.node.id";

    public const string ExecutionTag = "agentorleans.execution.id";

    public const string ProviderTag = "agentorleans.llm.provider";
}
