using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// Server-Sent Events on the wire: <c>id:</c> the seq (a merged position when read with children), <c>event:</c> the type, <c>data:</c> the JSON,
/// and comment lines. Written by hand because the framework's formatter has no comment lines. Writes
/// only buffer; the caller flushes, so a checkpoint's events cost one socket write per client.
/// </summary>
public static class SseFrames
{
    // A live event is one instance shared by every client of the feed: its frame is encoded once, not once per client.
    private static readonly ConditionalWeakTable<ExecutionEvent, byte[]> Frames = [];

    public static void Prepare(HttpResponse response)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    public static void WriteEvent(PipeWriter output, ExecutionEvent e) => output.Write(Frames.GetValue(e, Frame));

    /// <summary>An event of a merged read: its id is the merged position after it, and a child's data has its path.</summary>
    internal static void WriteEvent(PipeWriter output, MergedEvent e)
    {
        var data = e.Path is null ? EventJson.Serialize(e.Event) : EventJson.Serialize(e.Event, e.Path);
        output.Write(Encoding.UTF8.GetBytes($"id: {e.Position}\nevent: {e.Event.Type}\ndata: {data}\n\n"));
    }

    /// <summary>A problem that ends the stream, as <c>event: problem</c> with RFC 9457 JSON and no id (it is no event of the execution's).</summary>
    internal static void WriteProblem(PipeWriter output, int status, string title, string detail)
    {
        var data = new System.Text.Json.Nodes.JsonObject { ["type"] = "about:blank", ["title"] = title, ["status"] = status, ["detail"] = detail };
        output.Write(Encoding.UTF8.GetBytes($"event: problem\ndata: {data.ToJsonString()}\n\n"));
    }

    public static void WriteComment(PipeWriter output, string comment) => output.Write(Encoding.UTF8.GetBytes($": {comment}\n\n"));

    private static byte[] Frame(ExecutionEvent e) => Encoding.UTF8.GetBytes($"id: {e.Seq}\nevent: {e.Type}\ndata: {EventJson.Serialize(e)}\n\n");
}
