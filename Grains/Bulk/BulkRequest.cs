using System.Security.Cryptography;
using System.Text;
using AgentOrleans.Grains.Index;

namespace AgentOrleans.Grains.Bulk;

[GenerateSerializer, Alias("AgentOrleans.BulkAction")]
public enum BulkAction
{
    Cancel,
    Rerun,
}

/// <summary>What a bulk operation does, and to which executions: those the index lists for <see cref="Filter"/>.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.BulkRequest")]
public sealed record BulkRequest([property: Id(0)] BulkAction Action, [property: Id(1)] ExecutionFilter Filter)
{
    /// <summary>Cancel: the reason recorded on each <c>execution.cancelled</c>.</summary>
    [Id(2)] public string? Reason { get; init; }

    /// <summary>Re-run: the node each re-run begins at (default: where each original stopped).</summary>
    [Id(3)] public string? FromNode { get; init; }

    /// <summary>Who asked; recorded on each action. Not part of the request's identity.</summary>
    [Id(4)] public string? By { get; init; }

    /// <summary>The same request has the same hash; a different one under the same Idempotency-Key conflicts.</summary>
    public string Hash()
    {
        var labels = string.Join(",", Filter.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        var statuses = string.Join(",", Filter.Statuses.Order());
        var text = string.Join("\n", Action, Filter.Tenant, statuses, Filter.WorkflowId, Filter.CreatedAfter?.UtcTicks, Filter.CreatedBefore?.UtcTicks, labels, Filter.Parent, Filter.Schedule, Reason, FromNode);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
