using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Grains.Auth;

/// <summary>
/// Authentication and authorization for a host (Api or Silo) with the standard ASP.NET Core stack: an API key scheme
/// and, optionally, JWT bearer, behind one policy scheme that picks by the token's shape; one authorization policy per
/// scope. With nothing configured, authentication is off and every policy lets every request through, as before.
/// </summary>
public static class AuthHosting
{
    /// <summary>The default scheme: forwards to <see cref="ApiKeyHandler.SchemeName"/> or JWT bearer.</summary>
    public const string SchemeName = "AgentOrleans";

    /// <summary>Registers the schemes and policies from <c>AgentOrleans:Auth</c>; a bad setting stops the start, naming it.</summary>
    public static IServiceCollection AddAgentOrleansAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var options = AuthOptions.Read(configuration);
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException($"The authentication settings are invalid:\n- {string.Join("\n- ", problems)}");
        }

        services.AddSingleton(options);
        services.AddSingleton(new ApiKeyStore(options));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        var authentication = services.AddAuthentication(o =>
        {
            if (options.IsOn)
            {
                o.DefaultScheme = SchemeName;
            }
        });
        if (options.IsOn)
        {
            AddSchemes(authentication, options.Jwt);
        }

        services.AddAuthorization(o =>
        {
            foreach (var name in AuthPolicies.All)
            {
                o.AddPolicy(name, policy => Policy(policy, name, options.IsOn));
            }

            if (options.IsOn)
            {
                // An endpoint mapped without a policy still needs a caller; the endpoint table test finds it.
                o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            }
        });
        return services;
    }

    /// <summary>Authentication, then authorization: after the exception handler and status pages, before the endpoints.</summary>
    public static IApplicationBuilder UseAgentOrleansAuth(this IApplicationBuilder app) => app.UseAuthentication().UseAuthorization();

    private static void Policy(AuthorizationPolicyBuilder policy, string name, bool on)
    {
        if (!on)
        {
            policy.RequireAssertion(_ => true);
            return;
        }

        policy.RequireAuthenticatedUser();
        if (AuthPolicies.ScopesFor(name) is { Count: > 0 } scopes)
        {
            policy.RequireClaim(AuthClaims.Scope, scopes);
        }
    }

    private static void AddSchemes(AuthenticationBuilder authentication, JwtAuthOptions jwt)
    {
        authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null);
        if (jwt.IsOn)
        {
            authentication.AddJwtBearer(o =>
            {
                o.Authority = jwt.Authority;
                o.Audience = jwt.Audience;
                o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
                // Claim names stay as the token has them, so the configured names are the token's own.
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = jwt.NameClaim;
                o.Events = new JwtBearerEvents { OnTokenValidated = context => JwtClaims.NormalizeAsync(context, jwt) };
            });
        }

        // A key starts with ao_; any other bearer token is a JWT when those are on. Without a token, or with a
        // malformed header, the key scheme answers: nothing, or a failure that says what is wrong.
        authentication.AddPolicyScheme(SchemeName, SchemeName, o => o.ForwardDefaultSelector = context =>
            jwt.IsOn && BearerHeader.Read(context.Request.Headers.Authorization, out var token) == BearerHeader.Shape.Token && !token.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal)
                ? JwtBearerDefaults.AuthenticationScheme
                : ApiKeyHandler.SchemeName);
    }
}
