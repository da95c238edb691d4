using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// Writes Server-Sent Events: <c>id:</c> the seq, <c>event:</c> the type, <c>data:</c> the JSON,
/// and heartbeat comments. Written by hand because the framework's formatter has no comment lines.
/// Events are buffered and sent by <see cref="FlushAsync"/>, so a burst (a checkpoint carries
/// several events) costs one socket write per client, not one per event.
/// </summary>
public sealed class SseWriter(HttpResponse response)
{
    // A live event is one instance shared by every client of the feed: its frame is encoded once, not once per client.
    private static readonly ConditionalWeakTable<ExecutionEvent, byte[]> Frames = [];

    private readonly SemaphoreSlim _lock = new(1, 1);

    public static void Prepare(HttpResponse response)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    /// <summary>Buffers the event; it is sent at the next <see cref="FlushAsync"/>.</summary>
    public Task WriteEventAsync(ExecutionEvent e, CancellationToken cancellationToken) =>
        WriteAsync(Frames.GetValue(e, Frame), flush: false, cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken) => WriteAsync([], flush: true, cancellationToken);

    /// <summary>Writes a comment line and sends it with anything buffered.</summary>
    public Task WriteCommentAsync(string comment, CancellationToken cancellationToken) =>
        WriteAsync(Encoding.UTF8.GetBytes($": {comment}\n\n"), flush: true, cancellationToken);

    private static byte[] Frame(ExecutionEvent e) => Encoding.UTF8.GetBytes($"id: {e.Seq}\nevent: {e.Type}\ndata: {EventJson.Serialize(e)}\n\n");

    private async Task WriteAsync(byte[] frame, bool flush, CancellationToken cancellationToken)
    {
        // The heartbeat writes from another task: frames must not interleave.
        await _lock.WaitAsync(cancellationToken);
        try
        {
            response.BodyWriter.Write(frame);
            if (flush)
            {
                await response.BodyWriter.FlushAsync(cancellationToken);
            }
        }
        finally
        {
            _lock.Release();
        }
    }
}
