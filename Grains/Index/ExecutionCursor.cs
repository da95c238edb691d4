using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace AgentOrleans.Grains.Index;

/// <summary>
/// Where a page of a listing ended: the last execution shown, by the listing's order (newest first, then id
/// descending). The next page starts strictly after it, so executions indexed meanwhile are neither skipped nor shown
/// twice. On the wire it is opaque (base64url); nothing else may be read into it.
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ExecutionCursor")]
public sealed record ExecutionCursor([property: Id(0)] DateTimeOffset CreatedAt, [property: Id(1)] string Id)
{
    private const string Prefix = "e1:";

    public static ExecutionCursor After(ExecutionSummary last) => new(last.CreatedAt, last.Id);

    public override string ToString() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Prefix}{CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{Id}"));

    public static bool TryParse(string? text, out ExecutionCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length > 1024)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', Prefix.Length);
        if (!decoded.StartsWith(Prefix, StringComparison.Ordinal) || colon < 0
            || !long.TryParse(decoded.AsSpan(Prefix.Length, colon - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks || colon == decoded.Length - 1)
        {
            return false;
        }

        cursor = new ExecutionCursor(new DateTimeOffset(ticks, TimeSpan.Zero), decoded[(colon + 1)..]);
        return true;
    }
}
