namespace AgentOrleans.Grains.Workflows;

/// <summary>A node's <c>cache</c> as written: how long an output is reused, and the key template (null: the node's rendered <c>with</c>).</summary>
public sealed record NodeCachePolicy(TimeSpan Ttl, string? Key);
