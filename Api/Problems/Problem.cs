using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentOrleans.Api.Problems;

/// <summary>RFC 9457 problem responses; <c>errors</c> lists every problem with its JSON pointer.</summary>
public static class Problem
{
    public static ProblemHttpResult Of(int status, string title, string detail, IReadOnlyList<DefinitionProblem>? errors = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (errors is { Count: > 0 })
        {
            extensions["errors"] = errors.Select(e => new ProblemError(e.Pointer, e.Message)).ToList();
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }

    public static ProblemHttpResult Invalid(string detail, IReadOnlyList<DefinitionProblem> errors) =>
        Of(StatusCodes.Status400BadRequest, "The request is invalid", detail, errors);

    public static ProblemHttpResult NotFound(string detail) => Of(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult Conflict(string detail) => Of(StatusCodes.Status409Conflict, "Conflict", detail);

    public static ProblemHttpResult TooManyRequests(string detail) => Of(StatusCodes.Status429TooManyRequests, "Too many executions", detail);
}

/// <summary>One problem: where (a JSON pointer into the request body) and what.</summary>
public sealed record ProblemError(string Pointer, string Detail);
