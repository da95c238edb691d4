using System.Security.Claims;
using AgentOrleans.Grains.Tenants;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace AgentOrleans.Grains.Auth;

/// <summary>
/// A validated token's claims, under the names the policies read (<see cref="AuthClaims"/>): its scopes from the
/// configured scope claim (space-separated, or one claim each), its tenant and its name. A token without a name
/// is refused: every change it makes is recorded with who made it. So is a token whose tenant claim is no tenant
/// name (<see cref="TenantKey.IsValidTenant"/>): it authenticates nobody (401), rather than acting for a tenant it
/// does not name. A token without a tenant claim acts for <see cref="TenantKey.DefaultTenant"/>.
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
            if (!TenantKey.IsValidTenant(tenant))
            {
                context.Fail($"the token's '{options.TenantClaim}' claim is no tenant name");
                return Task.CompletedTask;
            }

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
