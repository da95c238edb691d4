using System.Security.Cryptography;
using AgentOrleans.Grains.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>
/// The embedded Api with authentication on: API keys (one holding each scope alone, one holding every scope but
/// each, one holding all) and JWT bearer tokens with configured claim names, signed by a key made here (the issuer's
/// configuration is given, not fetched). Every log line of the host is captured, for the tests that check what is never logged.
/// </summary>
public sealed class AuthApiFactory : ApiFactory
{
    public const string Issuer = "https://issuer.agentorleans.test";
    public const string Audience = "agentorleans-tests";
    public const string ScopeClaim = "permissions";
    public const string TenantClaim = "org";

    public SymmetricSecurityKey SigningKey { get; } = new(RandomNumberGenerator.GetBytes(32));

    public CapturedLogs Logs { get; } = new();

    /// <summary>Raw keys by name: <c>all</c>, <c>only_{scope}</c> and <c>without_{scope}</c> (':' as '_'), <c>without_workflows_read</c>.</summary>
    public Dictionary<string, string> Keys { get; } = [];

    private readonly Dictionary<string, string[]> _scopes = [];

    public AuthApiFactory()
    {
        Add("all", [.. Scopes.All]);
        foreach (var scope in Scopes.All)
        {
            Add($"only_{Name(scope)}", [scope]);
            Add($"without_{Name(scope)}", [.. Scopes.All.Where(s => s != scope)]);
        }

        Add("without_workflows_read", [.. Scopes.All.Except(AuthPolicies.ScopesFor(AuthPolicies.WorkflowsRead))]);
    }

    protected override int PortSuffix => 421;

    public static string Name(string scope) => scope.Replace(':', '_');

    /// <summary>A client that sends <c>Authorization: Bearer</c> with the named key (none: no header).</summary>
    public HttpClient ClientWith(string? keyName)
    {
        var client = CreateClient();
        if (keyName is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", Keys[keyName]);
        }

        return client;
    }

    /// <summary>A token of the configured issuer and audience with these claims, signed with <see cref="SigningKey"/> unless another is given.</summary>
    public string Token(Dictionary<string, object> claims, SecurityKey? signedWith = null, DateTime? expires = null, string audience = Audience) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = DateTime.UtcNow.AddMinutes(-10),
            NotBefore = DateTime.UtcNow.AddMinutes(-10),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(signedWith ?? SigningKey, SecurityAlgorithms.HmacSha256),
        });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (name, key) in Keys)
        {
            builder.UseSetting($"AgentOrleans:Auth:Keys:{name}:Hash", ApiKeys.HashHex(key));
            builder.UseSetting($"AgentOrleans:Auth:Keys:{name}:Tenant", "acme");
            // The comma form of an environment variable, which the options read as well as a list.
            builder.UseSetting($"AgentOrleans:Auth:Keys:{name}:Scopes", string.Join(',', _scopes[name]));
        }

        builder.UseSetting("AgentOrleans:Auth:Jwt:Authority", Issuer);
        builder.UseSetting("AgentOrleans:Auth:Jwt:Audience", Audience);
        builder.UseSetting("AgentOrleans:Auth:Jwt:ScopeClaim", ScopeClaim);
        builder.UseSetting("AgentOrleans:Auth:Jwt:TenantClaim", TenantClaim);
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
        builder.UseSetting("Logging:LogLevel:AgentOrleans", "Trace");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            configuration.SigningKeys.Add(SigningKey);
            o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        }));
    }

    private void Add(string name, string[] scopes)
    {
        Keys[name] = ApiKeys.New();
        _scopes[name] = scopes;
    }
}

[CollectionDefinition(Name)]
public sealed class AuthApiCollection : ICollectionFixture<AuthApiFactory>
{
    public const string Name = "auth-api";
}
