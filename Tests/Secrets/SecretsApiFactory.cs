using AgentOrleans.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Tests.Secrets;

/// <summary>
/// The embedded Api with two secrets, one a value and one a file, both fresh for each test run, and
/// every log line of every category at every level captured, for the tests that look for their values.
/// </summary>
public sealed class SecretsApiFactory : ApiFactory
{
    /// <summary><c>AgentOrleans:Secrets:LEAK_TOKEN</c>: a value.</summary>
    public static readonly string Token = $"tok-{Guid.NewGuid():N}";

    /// <summary><c>AgentOrleans:Secrets:LEAK_KEY:File</c>: a file holding this, with a line break after it.</summary>
    public static readonly string Key = $"key-{Guid.NewGuid():N}";

    private readonly string _directory = Directory.CreateTempSubdirectory("agentorleans-secrets-").FullName;

    public CapturedLogs Logs { get; } = new();

    protected override int PortSuffix => 431;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var keyFile = Path.Combine(_directory, "leak-key");
        File.WriteAllText(keyFile, Key + "\n");
        builder.UseSetting("AgentOrleans:Secrets:LEAK_TOKEN", Token);
        builder.UseSetting("AgentOrleans:Secrets:LEAK_KEY:File", keyFile);
        builder.UseSetting("AgentOrleans:Cluster:Dashboard", "false");
        builder.ConfigureServices(services => services.AddLogging(logging => logging
            .AddProvider(Logs)
            .AddFilter<CapturedLogs>(category: null, LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Trace)));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class SecretsApiCollection : ICollectionFixture<SecretsApiFactory>
{
    public const string Name = "api-secrets";
}
