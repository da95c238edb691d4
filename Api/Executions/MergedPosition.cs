using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using AgentOrleans.Grains.Tenants;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// Where a reader of an execution's events with its children (<c>?include=children</c>) is: the execution's own last
/// seq and, for each child at any depth that it follows and that has not ended, the child's id, path and last seq.
/// It is the SSE <c>id</c> of every merged event and the JSON page's <c>next</c>, and resumes from
/// <c>Last-Event-ID</c> or <c>?after=</c>. While no child is open it is the plain seq, as without children;
/// otherwise <c>c1.</c> then the base64url of the JSON <c>[seq, [idSuffix, path, seq], …]</c>, each child's id
/// written after the execution's id and <c>:</c> (every child's id extends its parent's, so a position can only name
/// descendants of the execution it is read from).
/// </summary>
/// <remarks>
/// A child not listed is either announced after its parent's position (the reader meets its <c>child.started</c>
/// again and follows it from its start) or has ended and been delivered in full: the position stays bounded by the
/// children running at once, not by every child there ever was.
/// </remarks>
internal sealed record MergedPosition(long Seq, IReadOnlyList<MergedPosition.Child> Children)
{
    public const string Prefix = "c1.";

    /// <summary>The position before the first event: nothing read, no child known.</summary>
    public static MergedPosition Start { get; } = new(0, []);

    /// <summary>Writes a position: the plain seq when no child is open.</summary>
    public static string Format(string executionId, long seq, IEnumerable<Child> children, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        var open = false;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(seq);
            foreach (var child in children)
            {
                open = true;
                writer.WriteStartArray();
                writer.WriteStringValue(child.ExecutionId.AsSpan(executionId.Length + 1));
                writer.WriteStringValue(child.Path);
                writer.WriteNumberValue(child.Seq);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return open ? Prefix + Base64Url.EncodeToString(buffer.WrittenSpan) : seq.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a position of <paramref name="executionId"/>'s merged events; null (and why) when it is none.</summary>
    public static MergedPosition? Parse(string text, string executionId, out string? problem)
    {
        problem = null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var plain))
        {
            return new MergedPosition(plain, []);
        }

        MergedPosition? position = null;
        if (text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            try
            {
                position = Read(Base64Url.DecodeFromChars(text.AsSpan(Prefix.Length)), executionId);
            }
            catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
            {
                // Not a position this API wrote.
            }
        }

        if (position is null)
        {
            problem = $"'{Shorten(text)}' is neither a seq nor a position of this execution's events with its children (an SSE id or 'next' of a read with include=children)";
        }

        return position;
    }

    private static MergedPosition? Read(byte[] json, string executionId)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray || !ReadSeq(ref reader, out var seq))
        {
            return null;
        }

        var children = new List<Child>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray
                || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.GetString() is not { Length: > 0 } suffix
                || suffix.Contains(TenantKey.Separator, StringComparison.Ordinal)
                || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.GetString() is not { Length: > 0 } path
                || !ReadSeq(ref reader, out var childSeq)
                || !reader.Read() || reader.TokenType != JsonTokenType.EndArray
                || !seen.Add(suffix))
            {
                return null;
            }

            children.Add(new Child($"{executionId}:{suffix}", path, childSeq));
        }

        // Nothing may follow the array.
        return reader.TokenType == JsonTokenType.EndArray && !reader.Read() ? new MergedPosition(seq, children) : null;
    }

    private static bool ReadSeq(ref Utf8JsonReader reader, out long seq)
    {
        seq = 0;
        return reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out seq) && seq >= 0;
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    /// <summary>A child execution the reader follows: its id, its path from the execution read, its last seq delivered.</summary>
    public sealed record Child(string ExecutionId, string Path, long Seq);
}
