using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Caching;

/// <summary>
/// Which cache entry a node's attempt may be answered from: the tenant (the grain key's prefix, as every tenant's
/// resource is) and a hash of the workflow id, the node id and type, and the rendered key, or, without a key, the
/// node's rendered settings. Per node as LangGraph keys it: the same key on two nodes is two entries, since their
/// outputs are different things. The version is left out on purpose, so a publish that does not change a node keeps
/// its cache warm; a changed <c>with</c> changes a key-less node's entry by itself.
/// </summary>
public static class StepCacheKey
{
    /// <summary>The grain key of the entry; throws <see cref="ExpressionException"/> when the key or the settings cannot be rendered.</summary>
    public static string For(string tenant, string workflowId, CompiledNode node, CachePolicy policy, ExpressionScope scope)
    {
        var identity = new JsonObject
        {
            ["workflow"] = workflowId,
            ["node"] = node.Id,
            ["type"] = node.Type,
        };
        if (policy.Key is { } key)
        {
            identity["key"] = key.Render(scope);
        }
        else
        {
            // Secret references render as their placeholders, so neither a secret's value nor its rotation enters the key.
            identity["with"] = node.RenderSettings(scope);
            identity["deferred"] = policy.DeferredAsWritten.DeepClone();
        }

        return TenantKey.Scope(tenant, DefinitionDocument.Hash(identity));
    }
}
