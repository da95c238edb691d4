using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Http;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Steps.BuiltIn;
using AgentOrleans.Tests.Http;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Steps;

/// <summary>
/// The http step's outbound guard through the services a silo registers, against the local server.
/// Only 127.0.0.1 ever receives traffic: 169.254.169.254 and 10.0.0.1 are refused before any
/// connection, and their "allowed when configured" side is <see cref="Http.OutboundGuardTests"/>.
/// </summary>
public sealed class HttpGuardTests(LocalHttpServer server) : IClassFixture<LocalHttpServer>
{
    /// <summary>Names <see cref="RecordingResolver"/> answers with 127.0.0.1.</summary>
    private const string Internal = "internal.test";

    private const string Front = "front.test";

    private int Port => new Uri(server.BaseUrl).Port;

    public static TheoryData<string, string, string, string> Refused => new()
    {
        // case, URL ({port} and {key} filled in), host the message names, class the message names
        { "loopback", "http://127.0.0.1:{port}/ok/{key}?token=secret", "127.0.0.1", "loopback" },
        { "IPv6 loopback", "http://[::1]:{port}/ok/{key}?token=secret", "::1", "loopback" },
        { "cloud metadata", "http://169.254.169.254/latest/meta-data/{key}?token=secret", "169.254.169.254", "link-local" },
        { "private", "http://10.0.0.1/{key}?token=secret", "10.0.0.1", "private" },
        { "name resolving to loopback", $"http://{Internal}:{{port}}/ok/{{key}}?token=secret", Internal, "loopback" },
        { "redirect to loopback", $"http://{Front}:{{port}}/redirect/{{key}}?to=http://{Internal}:{{port}}/ok/{{key}}%3Ftoken%3Dsecret", Internal, "loopback" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task APrivateDestinationIsRefusedOnceWithoutRetryingAndTheMessageKeepsTheQueryOut(string name, string url, string host, string kind)
    {
        var key = NewId("k");
        var resolver = new RecordingResolver();
        await using var services = Services(resolver, ["AgentOrleans:Http:AllowedHosts:0", Front]);

        var refused = await Assert.ThrowsAsync<StepException>(() => CallAsync(services, Fill(url, key)));

        Assert.Equal("DestinationNotAllowed", refused.ErrorType);
        Assert.False(refused.Retryable, name);
        Assert.Contains(host, refused.Message, StringComparison.Ordinal);
        Assert.Contains(kind, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", refused.Message, StringComparison.Ordinal);
        Assert.False(server.IdempotencyKeys.ContainsKey(key), $"{name}: the refused destination must not have been called");
        // The pipeline's own retry would look the name up again.
        Assert.True(resolver.Lookups.GetValueOrDefault(Internal) <= 1, $"{name}: {Internal} looked up {resolver.Lookups.GetValueOrDefault(Internal)} times");
    }

    public static TheoryData<string, string[]> Allowed => new()
    {
        { "http://127.0.0.1:{port}/ok/{key}", ["AgentOrleans:Http:AllowedHosts:0", "127.0.0.1"] },
        { "http://127.0.0.1:{port}/ok/{key}", ["AgentOrleans:Http:AllowedHosts:0", "127.0.0.0/8"] },
        { "http://127.0.0.1:{port}/ok/{key}", ["AgentOrleans:Http:AllowPrivateNetworks", "true"] },
        { $"http://{Internal}:{{port}}/ok/{{key}}", ["AgentOrleans:Http:AllowedHosts:0", Internal] },
        {
            // A redirect to a name resolving to loopback, both names allowed.
            $"http://{Front}:{{port}}/redirect/{{key}}?to=http://{Internal}:{{port}}/ok/{{key}}",
            ["AgentOrleans:Http:AllowedHosts:0", Front, "AgentOrleans:Http:AllowedHosts:1", Internal]
        },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public async Task AConfiguredDestinationIsCalled(string url, string[] settings)
    {
        var key = NewId("k");
        await using var services = Services(new RecordingResolver(), settings);

        var result = await CallAsync(services, Fill(url, key));

        Assert.Equal(200, result.Output!["status"]!.GetValue<int>());
        Assert.Equal(key, result.Output["body"]!["key"]!.GetValue<string>());
    }

    [Fact]
    public void AnAllowedHostsEntryTheGuardCannotMatchStopsTheStart()
    {
        using var services = Services(new RecordingResolver(), ["AgentOrleans:Http:AllowedHosts:0", "*.internal"]);

        var invalid = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<HttpStepOptions>>().Value);

        Assert.Contains("AgentOrleans:Http:AllowedHosts:0", invalid.Message, StringComparison.Ordinal);
    }

    private string Fill(string url, string key) =>
        url.Replace("{port}", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{key}", key, StringComparison.Ordinal);

    private static ServiceProvider Services(IHostResolver resolver, string[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Chunk(2).Select(p => new KeyValuePair<string, string?>(p[0], p[1])))
            .Build();
        return new ServiceCollection().AddLogging().AddAgentOrleansGrainServices(configuration)
            .AddSingleton(resolver)
            .BuildServiceProvider();
    }

    private static async Task<StepResult> CallAsync(IServiceProvider services, string url)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        return await services.GetRequiredService<HttpStep>().ExecuteAsync(new StepContext
        {
            ExecutionId = "guard",
            NodeId = "call",
            Attempt = 1,
            IdempotencyKey = "guard:call:1",
            AttemptStartedAt = DateTimeOffset.UtcNow,
            Settings = new JsonObject { ["url"] = url },
            DeferredSettings = new Dictionary<string, JsonTemplate>(),
            Input = null,
            State = [],
            Scope = ExpressionScope.Empty,
            CancellationToken = deadline.Token,
            Logger = NullLogger.Instance,
            Services = services,
            TimeProvider = TimeProvider.System,
            EmitProgress = _ => ValueTask.CompletedTask,
        });
    }
}
