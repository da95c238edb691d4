namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// An agent's tool cannot be reached at all: its MCP server did not start, or its connection broke. Unlike a tool's
/// own failure, which the model is told of so it can recover, this fails the attempt: the node's retry policy tries
/// again (with the server started anew), since nothing the model does can bring the server back.
/// </summary>
public sealed class ToolUnavailableException(string message, Exception? inner = null)
    : StepException(Type, message, retryable: true, inner)
{
    public const string Type = "ToolUnavailable";
}
