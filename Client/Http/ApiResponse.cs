using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentOrleans.Client.Http;

/// <summary>Reads the API's answers: the body of a success, or the RFC 9457 problem of a refusal as an exception.</summary>
internal static class ApiResponse
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new AgentOrleansProblemException(response.StatusCode, "Empty answer", "The API answered without a body.", [], null);
    }

    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var problem = await ReadProblemAsync(response, cancellationToken);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        throw response.StatusCode == HttpStatusCode.NotFound
            ? new AgentOrleansNotFoundException(problem?.Title, problem?.Detail)
            : new AgentOrleansProblemException(response.StatusCode, problem?.Title ?? response.ReasonPhrase, problem?.Detail, problem?.Errors ?? [], retryAfter);
    }

    // A proxy or a crashed server may answer with HTML or nothing: the status still says what happened.
    private static async Task<ProblemBody?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json"
                ? await response.Content.ReadFromJsonAsync<ProblemBody>(Json, cancellationToken)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record ProblemBody(string? Title, string? Detail, IReadOnlyList<ProblemError>? Errors);
}
