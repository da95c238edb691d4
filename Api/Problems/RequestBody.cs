using System.Text;
using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Api.Problems;

/// <summary>
/// Reads a request body as text within the configured limit, so an oversized or mistyped body
/// gets a problem response (413, 415) instead of a framework error.
/// </summary>
public static class RequestBody
{
    public static async Task<(string? Text, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, string[] mediaTypes, CancellationToken cancellationToken)
    {
        var limit = request.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBodyBytes;
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is null || !mediaTypes.Contains(mediaType))
        {
            return (null, Problem.Of(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported media type",
                $"Content-Type '{request.ContentType ?? "(none)"}' is not accepted here; send one of: {string.Join(", ", mediaTypes)}"));
        }

        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, TooLarge(limit));
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, Problem.Invalid("The body is not UTF-8 text.", [new DefinitionProblem("", "not UTF-8")]));
        }
    }

    public static bool IsYaml(HttpRequest request) =>
        request.ContentType?.Contains("yaml", StringComparison.OrdinalIgnoreCase) == true;

    private static ProblemHttpResult TooLarge(int limit) => Problem.Of(
        StatusCodes.Status413PayloadTooLarge,
        "Request body too large",
        $"The body exceeds {limit} bytes (AgentOrleans:Api:MaxRequestBodyBytes).");
}
