using System.Runtime.CompilerServices;
using System.Text;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// Writes Server-Sent Events: <c>id:</c> the seq, <c>event:</c> the type, <c>data:</c> the JSON,
/// and heartbeat comments. Written by hand because the framework's formatter has no comment lines.
/// </summary>
public sealed class SseWriter(HttpResponse response)
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public static void Prepare(HttpResponse response)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    // A live event is one instance shared by every client of the feed: its frame is encoded once, not once per client.
    private static readonly ConditionalWeakTable<ExecutionEvent, byte[]> Frames = [];

    public Task WriteEventAsync(ExecutionEvent e, CancellationToken cancellationToken) =>
        WriteAsync(Frames.GetValue(e, Frame), cancellationToken);

    public Task WriteCommentAsync(string comment, CancellationToken cancellationToken) =>
        WriteAsync(Encoding.UTF8.GetBytes($": {comment}\n\n"), cancellationToken);

    private static byte[] Frame(ExecutionEvent e) => Encoding.UTF8.GetBytes($"id: {e.Seq}\nevent: {e.Type}\ndata: {EventJson.Serialize(e)}\n\n");

    private async Task WriteAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await response.Body.WriteAsync(frame, cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }
}
