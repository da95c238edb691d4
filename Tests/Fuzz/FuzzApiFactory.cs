using AgentOrleans.Grains.Auth;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace AgentOrleans.Tests.Fuzz;

/// <summary>
/// An Api of its own for the fuzz run: thousands of requests would slow, and their grains crowd,
/// the Api other tests share. Development environment, so a 500's body carries its stack trace. Authentication is
/// on, with one key holding every scope: the fuzz also sends what is not that key.
/// </summary>
public sealed class FuzzApiFactory : ApiFactory
{
    public string Key { get; } = ApiKeys.New();

    protected override int PortSuffix => 414;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("AgentOrleans:Auth:Keys:fuzz:Hash", ApiKeys.HashHex(Key));
        builder.UseSetting("AgentOrleans:Auth:Keys:fuzz:Scopes", string.Join(',', Scopes.All));
    }
}

/// <summary>Alone in the process: the run loads both cores for tens of seconds, which would upset other tests' timings.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzApiCollection : ICollectionFixture<FuzzApiFactory>
{
    public const string Name = "fuzz-api";
}
