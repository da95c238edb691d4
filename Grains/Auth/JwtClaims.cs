using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace AgentOrleans.Grains.Auth;

/// <summary>
/// A validated token's claims, under the names the policies read (<see cref="AuthClaims"/>): its scopes from the
/// configured scope claim (space-separated, or one claim each), its tenant and its name. A token without a name
/// is refused: every change it makes is recorded with who made it.
/// </summary>
internal static class JwtClaims
{
    public static Task NormalizeAsync(TokenValidatedContext context, JwtAuthOptions options)
    {
        var token = context.Principal!;
        if (token.FindFirst(options.NameClaim)?.Value is not { Length: > 0 } name)
        {
            context.Fail($"the token has no '{options.NameClaim}' claim to name its caller");
            return Task.CompletedTask;
        }

        var claims = new List<Claim> { new(AuthClaims.Name, name) };
        if (token.FindFirst(options.TenantClaim)?.Value is { Length: > 0 } tenant)
        {
            claims.Add(new Claim(AuthClaims.Tenant, tenant));
        }

        var scopes = token.FindAll(options.ScopeClaim)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal);
        claims.AddRange(scopes.Select(s => new Claim(AuthClaims.Scope, s)));
        var identity = new ClaimsIdentity(token.Claims.Concat(claims), JwtBearerDefaults.AuthenticationScheme, AuthClaims.Name, roleType: null);
        context.Principal = new ClaimsPrincipal(identity);
        return Task.CompletedTask;
    }
}
