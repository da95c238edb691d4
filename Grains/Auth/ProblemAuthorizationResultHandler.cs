using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace AgentOrleans.Grains.Auth;

/// <summary>
/// 401 and 403 as RFC 9457 problems saying what is missing: credentials (and why those sent were refused), or the
/// scope the endpoint needs. The challenge itself (status, <c>WWW-Authenticate</c>) stays the schemes' own.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await _default.HandleAsync(next, context, policy, authorizeResult);
        if (authorizeResult.Succeeded || context.Response.HasStarted)
        {
            return;
        }

        var problem = authorizeResult.Forbidden
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden",
                detail: $"'{context.User.Identity?.Name}' lacks the scope this endpoint needs: {string.Join(" or ", RequiredScopes(policy))}.")
            : TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: await WhyUnauthenticatedAsync(context));
        await problem.ExecuteAsync(context);
    }

    private static IEnumerable<string> RequiredScopes(AuthorizationPolicy policy) =>
        policy.Requirements.OfType<ClaimsAuthorizationRequirement>().Where(r => r.ClaimType == AuthClaims.Scope).SelectMany(r => r.AllowedValues ?? []);

    // The scheme's result is cached for the request: this reads what the authorization middleware already saw.
    private static async Task<string> WhyUnauthenticatedAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync();
        // AuthenticateResult.Fail(message), as the key scheme and the token's claim check answer, makes a plain
        // Exception with a message written here; a token validator's own exception is named, not quoted.
        return result.Failure switch
        {
            null => "This endpoint needs credentials: send Authorization: Bearer <API key or token>.",
            var failure when failure.GetType() == typeof(Exception) => $"The credentials were refused: {failure.Message}.",
            var failure => $"The bearer token was refused ({failure.GetType().Name}).",
        };
    }
}
