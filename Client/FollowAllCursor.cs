using System.Text.Json;

namespace AgentOrleans.Client;

/// <summary>
/// Where a follower of every execution is: per stream partition, the last position of its activity feed read; per
/// execution, the last seq taken. The follower moves it as it yields; save it (<see cref="Serialize"/>) after handling
/// an event and resume from <see cref="Parse"/> to get every later event exactly once.
/// </summary>
public sealed class FollowAllCursor
{
    public FollowAllCursor()
        : this(new Dictionary<string, long>(StringComparer.Ordinal))
    {
    }

    /// <summary>A cursor over a caller's own per-execution checkpoints (execution id → last seq processed).</summary>
    public FollowAllCursor(IDictionary<string, long> executions) => Executions = executions;

    /// <summary>Partition key → the last feed position read.</summary>
    public Dictionary<string, long> Partitions { get; } = new(StringComparer.Ordinal);

    /// <summary>Execution id → the last seq taken.</summary>
    public IDictionary<string, long> Executions { get; }

    /// <summary>Start at the feeds' ends: executions with activity from now on only (each from its start). A saved cursor never is.</summary>
    public bool FromNow { get; set; }

    /// <summary>A cursor that starts at the feeds' ends.</summary>
    public static FollowAllCursor Now() => new() { FromNow = true };

    public string Serialize() => JsonSerializer.Serialize(new Saved(Partitions, new Dictionary<string, long>(Executions), FromNow));

    /// <exception cref="JsonException">Not a saved cursor.</exception>
    public static FollowAllCursor Parse(string text)
    {
        var saved = JsonSerializer.Deserialize<Saved>(text) ?? throw new JsonException("not a follow-all cursor");
        var cursor = new FollowAllCursor(new Dictionary<string, long>(saved.Executions, StringComparer.Ordinal)) { FromNow = saved.FromNow };
        foreach (var (partition, position) in saved.Partitions)
        {
            cursor.Partitions[partition] = position;
        }

        return cursor;
    }

    internal long Last(string executionId) => Executions.TryGetValue(executionId, out var seq) ? seq : 0;

    private sealed record Saved(Dictionary<string, long> Partitions, Dictionary<string, long> Executions, bool FromNow);
}
