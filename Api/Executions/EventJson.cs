using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AgentOrleans.Api.Tenants;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// The wire form of an event: <c>{"seq","type","at","executionId","nodeId","attempt","data"}</c>
/// (node fields only on node events). Serialized once per event however many clients watch it.
/// Read with its children (<c>?include=children</c>), a child's event also has <c>"path"</c> after <c>executionId</c>.
/// The <c>executionId</c> is the id its caller knows, without the tenant of the event's grain key.
/// </summary>
public static class EventJson
{
    private static readonly ConditionalWeakTable<ExecutionEvent, string> Cache = [];

    public static string Serialize(ExecutionEvent e) => Cache.GetValue(e, Write);

    private static string Write(ExecutionEvent e)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, e);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>A child's event in a merged read: the wire form with the child's <paramref name="path"/>; not cached (the path is the reader's).</summary>
    public static string Serialize(ExecutionEvent e, string path)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, e, path);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static void Write(Utf8JsonWriter writer, ExecutionEvent e, string? path = null)
    {
        writer.WriteStartObject();
        writer.WriteNumber("seq", e.Seq);
        writer.WriteString("type", e.Type);
        writer.WriteString("at", e.At);
        writer.WriteString("executionId", TenantScope.Shown(e.ExecutionId));
        if (path is not null)
        {
            writer.WriteString("path", path);
        }

        if (e.NodeId is not null)
        {
            writer.WriteString("nodeId", e.NodeId);
            writer.WriteNumber("attempt", e.Attempt ?? 1);
        }

        writer.WritePropertyName("data");
        if (e.DataJson is null)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteRawValue(e.DataJson, skipInputValidation: true);
        }

        writer.WriteEndObject();
    }

    /// <summary>The JSON page: <c>{"events": [...], "next": N, "trimmedThrough": N|null}</c>.</summary>
    public static string Page(EventPage page)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("events");
            foreach (var e in page.Events)
            {
                Write(writer, e);
            }

            writer.WriteEndArray();
            writer.WriteNumber("next", page.Next);
            if (page.TrimmedThrough is { } trimmed)
            {
                writer.WriteNumber("trimmedThrough", trimmed);
            }
            else
            {
                writer.WriteNull("trimmedThrough");
            }

            writer.WriteBoolean("terminal", page.IsTerminal);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// The JSON page of a merged read: <c>{"events": [...], "next": "position", "terminal": bool, "trimmed": [{executionId, path?, trimmedThrough}]}</c>;
    /// <c>terminal</c> once the execution and every child followed have ended and been read.
    /// </summary>
    internal static string MergedPage(IReadOnlyList<MergedEvent> events, string next, bool terminal, IReadOnlyList<(MergedStream Stream, long Through)> trimmed)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("events");
            foreach (var e in events)
            {
                Write(writer, e.Event, e.Path);
            }

            writer.WriteEndArray();
            writer.WriteString("next", next);
            writer.WriteBoolean("terminal", terminal);
            writer.WriteStartArray("trimmed");
            foreach (var (stream, through) in trimmed)
            {
                writer.WriteStartObject();
                writer.WriteString("executionId", TenantScope.Shown(stream.ExecutionId));
                if (stream.Path is not null)
                {
                    writer.WriteString("path", stream.Path);
                }

                writer.WriteNumber("trimmedThrough", through);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
