using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// Server-Sent Events on the wire: <c>id:</c> the seq, <c>event:</c> the type, <c>data:</c> the JSON,
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

    public static void WriteComment(PipeWriter output, string comment) => output.Write(Encoding.UTF8.GetBytes($": {comment}\n\n"));

    private static byte[] Frame(ExecutionEvent e) => Encoding.UTF8.GetBytes($"id: {e.Seq}\nevent: {e.Type}\ndata: {EventJson.Serialize(e)}\n\n");
}
