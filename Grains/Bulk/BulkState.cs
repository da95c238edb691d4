using AgentOrleans.Grains.Index;

namespace AgentOrleans.Grains.Bulk;

/// <summary>What a bulk operation persists after each page: its request, the keyset cursor it resumes from, its counts.</summary>
[GenerateSerializer, Alias("AgentOrleans.BulkState")]
public sealed class BulkState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public BulkRequest? Request { get; set; }
    [Id(2)] public string? RequestHash { get; set; }
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public ExecutionCursor? Cursor { get; set; }
    [Id(5)] public long Matched { get; set; }
    [Id(6)] public long Done { get; set; }
    [Id(7)] public long Skipped { get; set; }
    [Id(8)] public long Failed { get; set; }
    [Id(9)] public List<BulkError> Errors { get; set; } = [];
    [Id(10)] public DateTimeOffset? CompletedAt { get; set; }
}
