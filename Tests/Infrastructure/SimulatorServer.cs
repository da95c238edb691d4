using System.Text.Json.Nodes;
using AgentOrleans.LlmSimulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>The repository's LLM simulator hosted in the test process on a free loopback port: real HTTP, real streams.</summary>
public sealed class SimulatorServer : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The OpenAI-style base URL, ending in <c>/v1</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public RequestLog Log => _app!.Services.GetRequiredService<RequestLog>();

    public async Task StartAsync()
    {
        _app = SimulatorApp.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
    }

    /// <summary>The requests whose messages contain <paramref name="marker"/> (each test puts a fresh one in its prompt).</summary>
    public List<SimulatedRequest> RequestsWith(string marker) =>
        Log.Requests.Where(r => (r.Body?["messages"]?.ToJsonString() ?? "").Contains(marker, StringComparison.Ordinal)).ToList();

    /// <summary>Polls until a request with <paramref name="marker"/> matches <paramref name="condition"/>; fails naming what was seen.</summary>
    public async Task<SimulatedRequest> WaitForAsync(string marker, Func<SimulatedRequest, bool> condition, string what)
    {
        var found = await Polling.UntilAsync(() => Task.FromResult(RequestsWith(marker).FirstOrDefault(condition)), r => r is not null, Runs.Deadline, TimeSpan.FromMilliseconds(20));
        if (found is not null)
        {
            return found;
        }

        Assert.Fail($"expected the simulator to see {what} within {Runs.Deadline}; saw {new JsonArray(RequestsWith(marker).Select(r => (JsonNode)r.ToJson()).ToArray()).ToJsonString()}");
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
