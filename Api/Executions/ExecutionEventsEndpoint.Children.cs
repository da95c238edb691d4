using AgentOrleans.Api.Problems;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Telemetry;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Primitives;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// <c>?include=children</c>: the execution's events and those of its child executions at any depth (subworkflows,
/// map items, agent tools), each child's tagged with its <c>executionId</c> and <c>path</c> and keeping its own
/// <c>seq</c>. The SSE <c>id</c> and the JSON <c>next</c> are a <see cref="MergedPosition"/>; the stream ends once the
/// execution and every child it follows have delivered their terminal events.
/// </summary>
public static partial class ExecutionEventsEndpoint
{
    private const string Children = "children";

    /// <summary>True for <c>include=children</c>; any other value is a problem.</summary>
    private static bool ReadInclude(StringValues values, ProblemList problems)
    {
        var children = false;
        foreach (var value in values)
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == Children)
                {
                    children = true;
                }
                else
                {
                    problems.Add("/include", $"'{part}' is nothing to include; the one thing is '{Children}'");
                }
            }
        }

        return children;
    }

    private static async Task<IResult> HandleWithChildrenAsync(
        string id,
        string key,
        HttpContext http,
        IGrainFactory grains,
        ExecutionEventHub hub,
        ApiOptions options,
        AgentOrleansMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggers,
        ProblemList problems,
        CancellationToken cancellationToken)
    {
        var maxPosition = options.MaxMergedEventIdLength;
        var from = ReadPosition(http.Request.Headers["Last-Event-ID"], "/Last-Event-ID", key, maxPosition, problems)
            ?? ReadPosition(http.Request.Query["after"], "/after", key, maxPosition, problems)
            ?? MergedPosition.Start;
        var limit = ReadSeq(http.Request.Query["limit"], "/limit", problems) ?? 100;
        if (limit < 1 || limit > options.MaxEventsPageSize)
        {
            problems.Add("/limit", $"must be from 1 to {options.MaxEventsPageSize}");
        }

        if (problems.Count > 0)
        {
            return Problem.Invalid("The event query is invalid.", problems);
        }

        Task<EventPage> ReadLog(string executionId, long after, int pageSize, CancellationToken _) =>
            grains.GetGrain<IExecutionGrain>(executionId).GetEventsAsync(after, pageSize);
        var logger = loggers.CreateLogger("AgentOrleans.Api.Sse");
        var wantsStream = http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));
        if (!wantsStream)
        {
            return await PageWithChildrenAsync(id, key, from, (int)limit, maxPosition, ReadLog, logger, cancellationToken);
        }

        await using var connection = new MergedSseConnection(
            http.Response.BodyWriter,
            key,
            from,
            ReadLog,
            hub,
            e => metrics.EventDelivered(e.Type, time.GetUtcNow() - e.At),
            options.SseClientBufferEvents,
            maxPosition,
            logger);

        // Subscribes to every stream of the position, then reads their logs: the first read also answers 404.
        if (!await connection.OpenAsync(cancellationToken))
        {
            return ExecutionsApi.NotFound(id);
        }

        SseFrames.Prepare(http.Response);
        try
        {
            await connection.RunAsync(options.SseHeartbeatInterval, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away (or was cut off); it resumes with Last-Event-ID.
        }

        if (connection.PositionTooLong)
        {
            LogPositionTooLong(logger, key, maxPosition);
        }

        return TypedResults.Empty;
    }

    /// <summary>Up to <paramref name="limit"/> events after <paramref name="from"/>, in the order they happened, and the position after them.</summary>
    private static async Task<IResult> PageWithChildrenAsync(
        string id,
        string key,
        MergedPosition from,
        int limit,
        int maxPosition,
        Func<string, long, int, CancellationToken, Task<EventPage>> readLog,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var reader = new MergedEventReader(key, from, readLog, watch: null, Math.Min(MergedEventReader.PageSize, limit), logger);
        if (!await reader.FillAsync(cancellationToken))
        {
            return ExecutionsApi.NotFound(id);
        }

        var events = new List<MergedEvent>();
        while (events.Count < limit)
        {
            var next = reader.TakeNext(maxPosition, out var tooLong);
            if (tooLong)
            {
                if (events.Count == 0)
                {
                    return Problem.Of(
                        StatusCodes.Status422UnprocessableEntity,
                        "Too many children running at once to resume exactly",
                        $"The position after the next event would be longer than the {maxPosition} characters allowed (AgentOrleans:Api:MaxMergedEventIdLength); read the children's events on their own, or raise the limit.");
                }

                break;
            }

            if (next is not null)
            {
                events.Add(next);
            }
            else if (!reader.NeedsFill || !await reader.FillAsync(cancellationToken))
            {
                break;
            }
        }

        return TypedResults.Text(EventJson.MergedPage(events, reader.Position, reader.Ended, reader.Trimmed), "application/json");
    }

    private static MergedPosition? ReadPosition(StringValues value, string pointer, string id, int maxLength, ProblemList problems)
    {
        if (value.Count == 0 || string.IsNullOrEmpty(value[0]))
        {
            return null;
        }

        if (value[0]!.Length > maxLength)
        {
            problems.Add(pointer, $"is longer than the {maxLength} characters a position may have (AgentOrleans:Api:MaxMergedEventIdLength)");
            return null;
        }

        var position = MergedPosition.Parse(value[0]!, id, out var problem);
        if (position is null)
        {
            problems.Add(pointer, problem!);
        }

        return position;
    }

    [LoggerMessage(2, LogLevel.Warning, "SSE client of execution {ExecutionId} with its children: the next position would be longer than {MaxLength} characters; the stream ended with a problem")]
    private static partial void LogPositionTooLong(ILogger logger, string executionId, int maxLength);
}
