using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Secrets;

/// <summary>
/// A request that carries secrets follows redirects, but a hop to another origin loses every header holding one:
/// a server must not be able to send a secret to a host it names.
/// </summary>
[Collection(SecretsApiCollection.Name)]
public sealed class SecretRedirectTests(SecretsApiFactory factory, SecretReceiver receiver) : IClassFixture<SecretReceiver>, IAsyncLifetime
{
    private readonly ApiClient _api = new(factory.CreateClient());
    private readonly SecretReceiver _elsewhere = new();

    public Task InitializeAsync() => _elsewhere.InitializeAsync();

    public Task DisposeAsync() => _elsewhere.DisposeAsync();

    private async Task<JsonNode> RunAsync(string url)
    {
        var call = Node("http", new JsonObject
        {
            ["url"] = url,
            ["headers"] = new JsonObject
            {
                ["Authorization"] = "Bearer ${{ secrets.LEAK_TOKEN }}",
                ["X-Api-Key"] = "${{ secrets.LEAK_KEY }}",
                ["X-Trace"] = "plain",
            },
        });
        return await _api.WaitTerminalAsync(await _api.StartAsync(await _api.PublishAsync(new JsonObject { ["call"] = call })));
    }

    [Fact]
    public async Task AHopToAnotherOriginDropsTheHeadersHoldingSecrets()
    {
        var key = NewId("k");
        var ended = await RunAsync($"{receiver.BaseUrl}/redirect/{key}?to={Uri.EscapeDataString($"{_elsewhere.BaseUrl}/echo/{key}-there")}");

        Assert.True(ended["status"]!.GetValue<string>() == "succeeded", ended.ToJsonString());
        Assert.Equal(SecretsApiFactory.Key, receiver.Requests[key].ApiKey);
        var there = _elsewhere.Requests[$"{key}-there"];
        Assert.Equal(("", ""), (there.Authorization, there.ApiKey));
    }

    [Fact]
    public async Task AHopWithinTheOriginKeepsThem()
    {
        var key = NewId("k");
        var ended = await RunAsync($"{receiver.BaseUrl}/redirect/{key}?to={Uri.EscapeDataString($"/echo/{key}-here")}");

        Assert.True(ended["status"]!.GetValue<string>() == "succeeded", ended.ToJsonString());
        var here = receiver.Requests[$"{key}-here"];
        Assert.Equal(($"Bearer {SecretsApiFactory.Token}", SecretsApiFactory.Key), (here.Authorization, here.ApiKey));
    }
}
