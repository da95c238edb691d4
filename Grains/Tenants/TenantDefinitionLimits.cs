using System.Text;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Tenants;

/// <summary>A tenant's limits on what it publishes, checked before the definition is compiled (a huge one costs to compile).</summary>
public static class TenantDefinitionLimits
{
    public static DefinitionProblem? TooLarge(string definitionJson, TenantQuotas quota)
    {
        if (quota.MaxDefinitionBytes <= 0 || definitionJson.Length <= quota.MaxDefinitionBytes / 3)
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetByteCount(definitionJson);
        return bytes <= quota.MaxDefinitionBytes
            ? null
            : new DefinitionProblem("", $"the definition is {bytes} bytes, more than the tenant's limit of {quota.MaxDefinitionBytes} ({quota.Section}:MaxDefinitionBytes)");
    }

    public static DefinitionProblem? TooManyNodes(JsonNode? document, TenantQuotas quota) =>
        quota.MaxNodes > 0 && document is JsonObject { } definition && definition["nodes"] is JsonObject nodes && nodes.Count > quota.MaxNodes
            ? new DefinitionProblem("/nodes", $"{nodes.Count} nodes, more than the tenant's limit of {quota.MaxNodes} ({quota.Section}:MaxNodes)")
            : null;
}
