using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Tests.Mcp;

/// <summary>One simulator and one Api with MCP servers for every MCP test.</summary>
public sealed class McpFixture : IAsyncLifetime
{
    public SimulatorServer Simulator { get; } = new();

    public McpApiFactory Api { get; private set; } = null!;

    public IGrainFactory Grains => Api.Services.GetRequiredService<IGrainFactory>();

    public ApiClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Simulator.StartAsync();
        Api = new McpApiFactory(Simulator.BaseUrl);
        await Api.InitializeAsync();
        Client = new ApiClient(Api.CreateClient());
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class McpCollection : ICollectionFixture<McpFixture>
{
    public const string Name = "api-mcp";
}
