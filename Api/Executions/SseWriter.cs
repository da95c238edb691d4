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

    public Task WriteEventAsync(ExecutionEvent e, CancellationToken cancellationToken) =>
        WriteAsync($"id: {e.Seq}\nevent: {e.Type}\ndata: {EventJson.Serialize(e)}\n\n", cancellationToken);

    public Task WriteCommentAsync(string comment, CancellationToken cancellationToken) =>
        WriteAsync($": {comment}\n\n", cancellationToken);

    private async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }
}
