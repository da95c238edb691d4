using AgentOrleans.Grains.Pools;
using Microsoft.Extensions.Configuration;

namespace AgentOrleans.Tests.Pools;

public sealed class PoolOptionsTests
{
    [Fact]
    public void PoolNamesWithColonsAreReadWhateverTheSourceSaysOfTheirPrefix()
    {
        // Host settings chained into an app's configuration report "llm" itself with an empty value.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentOrleans:Pools:Cluster:llm"] = "",
            ["AgentOrleans:Pools:Cluster:llm:openai"] = "20",
            ["AgentOrleans:Pools:PerSilo:gpu"] = "1",
        }).Build();
        var options = new PoolOptions();

        PoolOptions.Read(configuration, options);

        Assert.Equal(new Dictionary<string, int> { ["llm:openai"] = 20 }, options.Cluster);
        Assert.Equal(new Dictionary<string, int> { ["gpu"] = 1 }, options.PerSilo);
        Assert.Empty(options.Problems());
    }
}
