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
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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

        // The body pipe buffers what arrives; nothing is copied until the text is decoded (a start is ~50 bytes).
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var body = result.Buffer;
            if (body.Length > limit)
            {
                reader.AdvanceTo(body.End);
                return (null, TooLarge(limit));
            }

            if (!result.IsCompleted)
            {
                reader.AdvanceTo(body.Start, body.End);
                continue;
            }

            try
            {
                return (StrictUtf8.GetString(body), null);
            }
            catch (DecoderFallbackException)
            {
                return (null, Problem.Invalid("The body is not UTF-8 text.", [new DefinitionProblem("", "not UTF-8")]));
            }
            finally
            {
                reader.AdvanceTo(body.End);
            }
        }
    }

    public static bool IsYaml(HttpRequest request) =>
        request.ContentType?.Contains("yaml", StringComparison.OrdinalIgnoreCase) == true;

    private static ProblemHttpResult TooLarge(int limit) => Problem.Of(
        StatusCodes.Status413PayloadTooLarge,
        "Request body too large",
        $"The body exceeds {limit} bytes (AgentOrleans:Api:MaxRequestBodyBytes).");
}
