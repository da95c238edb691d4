using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentOrleans.Api.Auth;
using AgentOrleans.Grains.Auth;
using Microsoft.Extensions.Configuration;

namespace AgentOrleans.Tests.Auth;

/// <summary>Keys are made by <c>keys new</c>, stored only as SHA-256 hashes, and checked against every configured hash.</summary>
public sealed partial class ApiKeyTests
{
    [Fact]
    public void KeysNewPrintsAKeyOnceAndAConfigEntryWhoseHashVerifiesIt()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = KeysCommand.Run(["keys", "new", "--tenant", "acme", "--scopes", "executions:start,executions:read"], output, error);

        Assert.Equal(0, exit);
        var text = output.ToString();
        var key = Assert.Single(RawKey().Matches(text)).Value;
        var json = JsonNode.Parse(text[text.IndexOf('{', StringComparison.Ordinal)..(text.LastIndexOf('}') + 1)])!;
        var (name, entry) = Assert.Single(json["AgentOrleans"]!["Auth"]!["Keys"]!.AsObject());
        Assert.Equal(ApiKeys.HashHex(key), entry!["Hash"]!.GetValue<string>());
        Assert.Equal("acme", entry["Tenant"]!.GetValue<string>());
        Assert.Equal(["executions:start", "executions:read"], entry["Scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        // The environment-variable form, configured as printed, lets the key in under its name, tenant and scopes.
        var variables = text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("AgentOrleans__", StringComparison.Ordinal))
            .Select(l => new KeyValuePair<string, string?>(l[..l.IndexOf('=', StringComparison.Ordinal)].Replace("__", ":", StringComparison.Ordinal), l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]));
        var options = AuthOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(variables).Build());
        Assert.Empty(options.Problems());
        var found = new ApiKeyStore(options).Find(key);
        Assert.Equal(name, found?.Name);
        Assert.Equal("acme", found?.Tenant);
        Assert.Equal(["executions:start", "executions:read"], found!.Scopes);
        Assert.Equal(1, Regex.Count(text, Regex.Escape(key)));
    }

    [Theory]
    [InlineData("keys", "new")]
    [InlineData("keys", "new", "--scopes", "executions:begin")]
    [InlineData("keys", "new", "--scopes", "admin", "--name", "a:b")]
    [InlineData("keys", "rotate")]
    [InlineData("keys", "new", "--scopes")]
    public void AWrongKeysCommandLineExitsWith2AndSaysWhy(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = KeysCommand.Run(args, output, error);

        Assert.Equal(2, exit);
        Assert.Empty(output.ToString());
        Assert.Contains("usage: keys new", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownKeyAndAKeyOfAnotherHashAreNotFoundAndAnOverlongOneIsNotHashed()
    {
        var key = ApiKeys.New();
        var store = new ApiKeyStore(Options(("ci", ApiKeys.HashHex(key), "admin")));

        Assert.Equal("ci", store.Find(key)?.Name);
        Assert.Null(store.Find(ApiKeys.New()));
        Assert.Null(store.Find(key + "x"));
        Assert.Null(store.Find(key + new string('x', ApiKeys.MaxLength)));
        Assert.Matches("^ao_[A-Za-z0-9_-]{43}$", key);
    }

    [Fact]
    public void ARawKeyWhereItsHashBelongsStopsTheStartWithoutEchoingIt()
    {
        var key = ApiKeys.New();

        var problems = Options(("ci", key, "admin")).Problems();

        var problem = Assert.Single(problems);
        Assert.Contains("AgentOrleans:Auth:Keys:ci:Hash", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(key, problem, StringComparison.Ordinal);
        var thrown = Assert.Throws<InvalidOperationException>(() =>
            AuthHosting.AddAgentOrleansAuth(new Microsoft.Extensions.DependencyInjection.ServiceCollection(), Configuration(("ci", key, "admin"))));
        Assert.DoesNotContain(key, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadKeyAndJwtSettingsAreEachNamed()
    {
        var problems = AuthOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentOrleans:Auth:Keys:short:Hash"] = "abc",
            ["AgentOrleans:Auth:Keys:short:Scopes:0"] = "admin",
            ["AgentOrleans:Auth:Keys:typo:Hash"] = ApiKeys.HashHex(ApiKeys.New()),
            ["AgentOrleans:Auth:Keys:typo:Scopes"] = "executions:strat",
            ["AgentOrleans:Auth:Keys:none:Hash"] = ApiKeys.HashHex(ApiKeys.New()),
            ["AgentOrleans:Auth:Jwt:Authority"] = "http://issuer.example",
        }).Build()).Problems();

        Assert.Contains(problems, p => p.StartsWith("AgentOrleans:Auth:Keys:short:Hash", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'executions:strat' is no scope", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AgentOrleans:Auth:Keys:none:Scopes is empty", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AgentOrleans:Auth:Jwt:Authority must be an absolute https URL", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AgentOrleans:Auth:Jwt:Audience is required", StringComparison.Ordinal));
    }

    private static IConfiguration Configuration(params (string Name, string Hash, string Scopes)[] keys) =>
        new ConfigurationBuilder().AddInMemoryCollection(keys.SelectMany(k => new[]
        {
            new KeyValuePair<string, string?>($"AgentOrleans:Auth:Keys:{k.Name}:Hash", k.Hash),
            new KeyValuePair<string, string?>($"AgentOrleans:Auth:Keys:{k.Name}:Scopes", k.Scopes),
        })).Build();

    private static AuthOptions Options(params (string Name, string Hash, string Scopes)[] keys) => AuthOptions.Read(Configuration(keys));

    [GeneratedRegex("ao_[A-Za-z0-9_-]{43}")]
    private static partial Regex RawKey();
}
