using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Tests.Secrets;

/// <summary>The built-in store: a value, a file, the environment, a tenant's own; and the settings it refuses at start.</summary>
public sealed class ConfigurationSecretStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("agentorleans-secrets-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ConfigurationSecretStore Store(params (string Key, string Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    private static ValueTask<string?> GetAsync(ConfigurationSecretStore store, string name, string tenant = ISecretStore.DefaultTenant) =>
        store.GetAsync(tenant, name, CancellationToken.None);

    [Fact]
    public async Task AValueIsReadFromTheSecretsSectionIgnoringCase()
    {
        var store = Store(("AgentOrleans:Secrets:Api_Key", "value-1"));

        Assert.Equal("value-1", await GetAsync(store, "API_KEY"));
        Assert.True(await store.ExistsAsync(ISecretStore.DefaultTenant, "api_key", CancellationToken.None));
        Assert.False(await store.ExistsAsync(ISecretStore.DefaultTenant, "OTHER", CancellationToken.None));
        Assert.Null(await GetAsync(store, "OTHER"));
    }

    [Fact]
    public async Task AFileIsReadAtEachUseWithoutItsTrailingLineBreak()
    {
        var path = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(path, "from-file\n");
        var store = Store(("AgentOrleans:Secrets:TOKEN:File", path));

        var first = await GetAsync(store, "TOKEN");
        await File.WriteAllTextAsync(path, "rotated\r\n");
        var second = await GetAsync(store, "TOKEN");

        Assert.Equal("from-file", first);
        Assert.Equal("rotated", second);
    }

    [Fact]
    public async Task AMissingFileFailsTheReadButTheSecretStaysDefined()
    {
        var store = Store(("AgentOrleans:Secrets:TOKEN:File", Path.Combine(_directory, "absent")));

        Assert.True(await store.ExistsAsync(ISecretStore.DefaultTenant, "TOKEN", CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => GetAsync(store, "TOKEN").AsTask());
    }

    [Fact]
    public async Task AnEnvironmentVariableDefinesASecret()
    {
        var name = $"ENV_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable($"AgentOrleans__Secrets__{name}", "from-env");
        try
        {
            var store = new ConfigurationSecretStore(new ConfigurationBuilder().AddEnvironmentVariables().Build());

            Assert.Equal("from-env", await GetAsync(store, name));
        }
        finally
        {
            Environment.SetEnvironmentVariable($"AgentOrleans__Secrets__{name}", null);
        }
    }

    [Fact]
    public async Task ATenantSeesItsOwnSecretBeforeTheSharedOne()
    {
        var store = Store(
            ("AgentOrleans:Secrets:TOKEN", "shared"),
            ("AgentOrleans:Secrets:Tenants:acme:TOKEN", "acme's"),
            ("AgentOrleans:Secrets:Tenants:acme:ONLY_ACME", "acme only"));

        Assert.Equal("acme's", await GetAsync(store, "TOKEN", "acme"));
        Assert.Equal("shared", await GetAsync(store, "TOKEN", "globex"));
        Assert.Equal("acme only", await GetAsync(store, "ONLY_ACME", "acme"));
        Assert.Null(await GetAsync(store, "ONLY_ACME", "globex"));
        Assert.Null(await GetAsync(store, "ONLY_ACME", "acme:x"));
        Assert.Null(await GetAsync(store, "Tenants"));
    }

    [Fact]
    public void SettingsNoReferenceCouldUseAreProblemsNamingTheirKeys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentOrleans:Secrets:good"] = "v",
            ["AgentOrleans:Secrets:db-password"] = "v",
            ["AgentOrleans:Secrets:BOTH"] = "v",
            ["AgentOrleans:Secrets:BOTH:File"] = "/run/secrets/both",
            ["AgentOrleans:Secrets:EMPTY"] = "",
            ["AgentOrleans:Secrets:ODD:Path"] = "/x",
            ["AgentOrleans:Secrets:Tenants:acme:bad.name"] = "v",
        }).Build();

        var problems = ConfigurationSecretStore.Problems(configuration).ToList();

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("AgentOrleans:Secrets:db-password: a secret name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AgentOrleans:Secrets:BOTH: give the value or 'File', not both", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AgentOrleans:Secrets:EMPTY: is empty", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AgentOrleans:Secrets:ODD: unknown setting(s) Path", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AgentOrleans:Secrets:Tenants:acme:bad.name: a secret name", StringComparison.Ordinal));
    }

    [Fact]
    public void ABadSecretSettingStopsTheStart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AgentOrleans:Secrets:db-password"] = "v" }).Build();
        using var services = new ServiceCollection().AddLogging().AddAgentOrleansGrainServices(configuration).BuildServiceProvider();

        var invalid = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SecretsConfigurationCheck>>().Value);

        Assert.Contains("AgentOrleans:Secrets:db-password", invalid.Message, StringComparison.Ordinal);
    }
}
