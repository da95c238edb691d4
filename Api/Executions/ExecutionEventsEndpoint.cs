using System.Globalization;
using AgentOrleans.Api.Problems;
using AgentOrleans.Api.Tenants;
using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Telemetry;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// <c>GET /v1/executions/{id}/events</c>: SSE that resumes exactly once from Last-Event-ID (or
/// <c>?after=N</c>) and ends after the terminal event; or, without
/// <c>Accept: text/event-stream</c>, one JSON page. With <c>?include=children</c> both also carry the
/// child executions' events (ExecutionEventsEndpoint.Children.cs).
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
        // From here on the execution is named by its key: its tenant's, so another tenant's answers 404 like none.
        if (http.ScopedKey(id) is not { } key)
        {
            return ExecutionsApi.NotFound(id);
        }

        var problems = new ProblemList();
        if (ReadInclude(http.Request.Query["include"], problems))
        {
            return await HandleWithChildrenAsync(id, key, http, grains, hub, options.Value, metrics, time, loggers, problems, cancellationToken);
        }

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

        var execution = grains.GetGrain<IExecutionGrain>(key);
        var wantsStream = http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));
        if (!wantsStream)
        {
            var page = await execution.GetEventsAsync(after, (int)limit);
            return page.Exists ? TypedResults.Text(EventJson.Page(page), "application/json") : ExecutionsApi.NotFound(id);
        }

        // Watch before the first log read: an event published in between is then seen live or in the log.
        // That read both answers 404 and is the first page of the catch-up: one grain call per connect, not two.
        var delivered = (ExecutionEvent e) => metrics.EventDelivered(e.Type, time.GetUtcNow() - e.At);
        var connection = new SseConnection(
            http.Response.BodyWriter,
            (seq, _) => execution.GetEventsAsync(seq, EventLogCursor.PageSize),
            http.Abort,
            delivered,
            after,
            options.Value.SseClientBufferEvents,
            cancellationToken);
        await using var watch = await hub.WatchAsync(key, connection);
        var firstPage = await execution.GetEventsAsync(after, EventLogCursor.PageSize);
        if (!firstPage.Exists)
        {
            return ExecutionsApi.NotFound(id);
        }

        SseFrames.Prepare(http.Response);
        try
        {
            await connection.RunAsync(firstPage, options.Value.SseHeartbeatInterval, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away (or was cut off); it resumes with Last-Event-ID.
        }

        if (connection.WasTooSlow)
        {
            LogTooSlow(loggers.CreateLogger("AgentOrleans.Api.Sse"), key);
        }

        return TypedResults.Empty;
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
