namespace AgentOrleans.Grains.Steps;

/// <summary>
/// A child execution a step started, as its parent's <c>child.started</c> event tells it: the child's id as callers know it (without its tenant), its
/// <paramref name="Path"/> in the parent (the node, then the map item or tool call, joined by <c>/</c>) and its workflow.
/// </summary>
public sealed record ChildStart(string ExecutionId, string Path, string WorkflowId);
