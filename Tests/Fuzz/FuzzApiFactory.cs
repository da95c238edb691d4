using AgentOrleans.Tests.Infrastructure;

namespace AgentOrleans.Tests.Fuzz;

/// <summary>
/// An Api of its own for the fuzz run: thousands of requests would slow, and their grains crowd,
/// the Api other tests share. Development environment, so a 500's body carries its stack trace.
/// </summary>
public sealed class FuzzApiFactory : ApiFactory
{
    protected override int PortSuffix => 414;
}

/// <summary>Alone in the process: the run loads both cores for tens of seconds, which would upset other tests' timings.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzApiCollection : ICollectionFixture<FuzzApiFactory>
{
    public const string Name = "fuzz-api";
}
