using System.Net;

namespace AgentOrleans.Client.Http;

/// <summary>
/// The API answered with an RFC 9457 problem: its status, title and detail, and every problem it named with its JSON
/// pointer (<see cref="Errors"/>). <see cref="RetryAfter"/> is set when the API said when to try again (429).
/// </summary>
public class AgentOrleansProblemException(HttpStatusCode status, string? title, string? detail, IReadOnlyList<ProblemError> errors, TimeSpan? retryAfter)
    : Exception(Describe(status, title, detail, errors))
{
    public HttpStatusCode Status { get; } = status;

    public string? Title { get; } = title;

    public string? Detail { get; } = detail;

    public IReadOnlyList<ProblemError> Errors { get; } = errors;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    private static string Describe(HttpStatusCode status, string? title, string? detail, IReadOnlyList<ProblemError> errors)
    {
        var head = $"{(int)status} {title ?? status.ToString()}{(detail is null ? "" : $": {detail}")}";
        return errors.Count == 0 ? head : $"{head} ({string.Join("; ", errors.Select(e => $"{e.Pointer}: {e.Detail}"))})";
    }
}

/// <summary>One problem of a request: where (a JSON pointer into the request) and what.</summary>
public sealed record ProblemError(string Pointer, string Detail);

/// <summary>The execution, workflow or schedule does not exist (404), or not in the caller's tenant.</summary>
public sealed class AgentOrleansNotFoundException(string? title, string? detail)
    : AgentOrleansProblemException(HttpStatusCode.NotFound, title, detail, [], null);
