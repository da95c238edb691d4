using Microsoft.AspNetCore.Diagnostics;

namespace AgentOrleans.Api.Problems;

/// <summary>
/// When the cluster cannot answer (no silo reachable, a call timed out, storage down) the caller
/// gets 503 with Retry-After, never a 500: nothing it sent was lost, it should try again.
/// </summary>
public sealed partial class ClusterUnavailableHandler(IProblemDetailsService problems, ILogger<ClusterUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception))
        {
            return false;
        }

        LogUnavailable(logger, httpContext.Request.Path, exception);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The cluster is unavailable",
                Detail = "The request could not be completed now; nothing was lost. Retry after the delay in Retry-After.",
            },
        });
    }

    private static bool IsUnavailable(Exception exception) => exception switch
    {
        TimeoutException or SiloUnavailableException or OrleansMessageRejectionException => true,
        Orleans.Storage.InconsistentStateException => false,
        OrleansException => true,
        { InnerException: { } inner } => IsUnavailable(inner),
        _ => exception.GetType().Namespace?.StartsWith("Npgsql", StringComparison.Ordinal) == true
            || exception.GetType().Namespace?.StartsWith("StackExchange.Redis", StringComparison.Ordinal) == true,
    };

    [LoggerMessage(1, LogLevel.Warning, "Cluster unavailable while serving {Path}")]
    private static partial void LogUnavailable(ILogger logger, PathString path, Exception exception);
}
