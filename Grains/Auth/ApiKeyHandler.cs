using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Auth;

/// <summary>
/// The <c>ao_</c> API key scheme: <c>Authorization: Bearer ao_…</c> is hashed and looked up in
/// <see cref="ApiKeyStore"/>; the caller is the key's name, with its tenant and scopes as claims. The failure
/// messages (logged by ASP.NET Core, answered in the 401's problem) never hold the presented key.
/// </summary>
public sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var result = BearerHeader.Read(Request.Headers.Authorization, out var token) switch
        {
            BearerHeader.Shape.Absent => AuthenticateResult.NoResult(),
            BearerHeader.Shape.Malformed => AuthenticateResult.Fail("the Authorization header is not 'Bearer <key>' (one header, one token)"),
            _ when !token.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal) => AuthenticateResult.Fail("the bearer token is not an AgentOrleans API key (ao_…)"),
            _ when keys.Find(token) is { } key => AuthenticateResult.Success(Ticket(key)),
            _ => AuthenticateResult.Fail("the API key is not known"),
        };
        return Task.FromResult(result);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private static AuthenticationTicket Ticket(ApiKeyStore.Entry key)
    {
        var claims = new List<Claim>(key.Scopes.Length + 2) { new(AuthClaims.Name, key.Name) };
        if (key.Tenant is { } tenant)
        {
            claims.Add(new Claim(AuthClaims.Tenant, tenant));
        }

        foreach (var scope in key.Scopes)
        {
            claims.Add(new Claim(AuthClaims.Scope, scope));
        }

        var identity = new ClaimsIdentity(claims, SchemeName, AuthClaims.Name, roleType: null);
        return new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName);
    }
}
