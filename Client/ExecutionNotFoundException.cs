namespace AgentOrleans.Client;

/// <summary>No execution has the id being followed.</summary>
public sealed class ExecutionNotFoundException() : Exception("no such execution");
