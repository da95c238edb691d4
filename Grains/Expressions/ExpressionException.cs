namespace AgentOrleans.Grains.Expressions;

/// <summary>An expression failed while it was evaluated (it threw, or hit a sandbox limit).</summary>
public sealed class ExpressionException(string message, Exception? inner = null) : Exception(message, inner);
