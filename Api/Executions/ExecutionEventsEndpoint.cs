using System.Globalization;
using AgentOrleans.Api.Problems;
using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Telemetry;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// <c>GET /v1/executions/{id}/events</c>: SSE that resumes exactly once from Last-Event-ID (or
/// <c>?after=N</c>) and ends after the terminal event; or, without
/// <c>Accept: text/event-stream</c>, one JSON page.
/// </summary>
public static partial class ExecutionEventsEndpoint
{
    public static async Task<IResult> HandleAsync(
        string id,
        HttpContext http,
        IGrainFactory grains,
        ExecutionEventHub hub,
        IOptions<ApiOptions> options,
        AgentOrleansMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        var after = ReadSeq(http.Request.Headers["Last-Event-ID"], "/Last-Event-ID", problems)
            ?? ReadSeq(http.Request.Query["after"], "/after", problems)
            ?? 0;
        var limit = ReadSeq(http.Request.Query["limit"], "/limit", problems) ?? 100;
        if (limit < 1 || limit > options.Value.MaxEventsPageSize)
        {
            problems.Add("/limit", $"must be from 1 to {options.Value.MaxEventsPageSize}");
        }

        if (problems.Count > 0)
        {
            return Problem.Invalid("The event query is invalid.", problems);
        }

        var execution = grains.GetGrain<IExecutionGrain>(id);
        var wantsStream = http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));
        if (!wantsStream)
        {
            var page = await execution.GetEventsAsync(after, (int)limit);
            return page.Exists ? TypedResults.Text(EventJson.Page(page), "application/json") : Problem.NotFound($"No execution '{id}'.");
        }

        // Subscribe before the first log read: an event published in between is then seen live or in the log.
        await using var subscription = await hub.SubscribeAsync(id);
        if (!(await execution.GetEventsAsync(after, 1)).Exists)
        {
            return Problem.NotFound($"No execution '{id}'.");
        }

        var delivered = (ExecutionEvent e) => metrics.EventDelivered(e.Type, time.GetUtcNow() - e.At);
        await StreamAsync(http, execution, subscription, after, options.Value, delivered, loggers.CreateLogger("AgentOrleans.Api.Sse"), cancellationToken);
        return TypedResults.Empty;
    }

    private static async Task StreamAsync(
        HttpContext http,
        IExecutionGrain execution,
        HubSubscription live,
        long after,
        ApiOptions options,
        Action<ExecutionEvent> delivered,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        SseWriter.Prepare(http.Response);
        var writer = new SseWriter(http.Response);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = HeartbeatAsync(writer, options.SseHeartbeatInterval, stop.Token);

        // A client too slow for its buffer may be stuck in a socket write: cut the connection itself.
        _ = live.CutOff.ContinueWith(_ => http.Abort(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await writer.WriteCommentAsync("connected", stop.Token);
            var events = ExecutionEventFollower.FollowAsync((seq, ct) => execution.GetEventsAsync(seq, 500), live.Reader, after, options.LogPollInterval, stop.Token);
            await using var next = events.GetAsyncEnumerator(stop.Token);
            while (true)
            {
                // Send what is buffered only when no further event is ready: a burst goes out in one write.
                var more = next.MoveNextAsync();
                if (!more.IsCompleted)
                {
                    await writer.FlushAsync(stop.Token);
                }

                if (!await more)
                {
                    break;
                }

                await writer.WriteEventAsync(next.Current, stop.Token);
                delivered(next.Current);
            }

            await writer.FlushAsync(stop.Token);
        }
        catch (ClientTooSlowException)
        {
            LogTooSlow(logger, execution.GetPrimaryKeyString());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; it resumes with Last-Event-ID.
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeat;
        }
    }

    private static async Task HeartbeatAsync(SseWriter writer, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await writer.WriteCommentAsync("heartbeat", cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The stream ended.
        }
    }

    private static long? ReadSeq(Microsoft.Extensions.Primitives.StringValues value, string pointer, ProblemList problems)
    {
        if (value.Count == 0 || string.IsNullOrEmpty(value[0]))
        {
            return null;
        }

        if (long.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return seq;
        }

        problems.Add(pointer, $"'{value[0]}' is not a non-negative whole number");
        return null;
    }

    [LoggerMessage(1, LogLevel.Information, "SSE client of execution {ExecutionId} fell too far behind and was disconnected; it can resume with Last-Event-ID")]
    private static partial void LogTooSlow(ILogger logger, string executionId);
}
