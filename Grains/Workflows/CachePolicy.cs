using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;

namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// A node's <c>cache</c>, compiled: outputs stored for <see cref="Ttl"/> under the rendered <see cref="Key"/>, or, with no
/// key, under the node's rendered settings plus its deferred settings as written (<see cref="DeferredAsWritten"/>),
/// which the step renders itself, in scopes of its own, so the node's scope cannot render them.
/// </summary>
public sealed record CachePolicy(TimeSpan Ttl, JsonTemplate? Key, JsonObject DeferredAsWritten);
