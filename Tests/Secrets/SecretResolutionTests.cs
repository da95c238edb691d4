using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Secrets;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Steps.BuiltIn;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Tests.Secrets;

/// <summary>A secret the store cannot give fails the attempt before anything is sent, each way with its own error type.</summary>
public class SecretResolutionTests
{
    private static async Task<StepException> FailureAsync(ISecretStore store)
    {
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var step = new HttpStep(services.GetRequiredService<IHttpClientFactory>(), Options.Create(new HttpStepOptions()), store);
        var problems = new ProblemList();
        var url = JsonTemplate.Compile(JsonValue.Create("https://api.example.com/v1?key=${{ secrets.KEY }}"), "/url", problems.Add, _ => true);
        Assert.Empty(problems);
        return await Assert.ThrowsAsync<StepException>(() => step.ExecuteAsync(new StepContext
        {
            ExecutionId = "e",
            NodeId = "call",
            Attempt = 1,
            IdempotencyKey = "e:call:1",
            AttemptStartedAt = DateTimeOffset.UnixEpoch,
            Settings = new JsonObject { ["url"] = url.Render(ExpressionScope.Empty) },
            DeferredSettings = new Dictionary<string, JsonTemplate>(),
            SecretSettings = new Dictionary<string, JsonTemplate> { ["url"] = url },
            Input = null,
            State = [],
            Scope = ExpressionScope.Empty,
            CancellationToken = CancellationToken.None,
            Logger = NullLogger.Instance,
            Services = services,
            TimeProvider = TimeProvider.System,
            EmitProgress = _ => ValueTask.CompletedTask,
        }));
    }

    [Fact]
    public async Task ASecretRemovedSincePublishingFailsTheAttemptWithoutRetrying()
    {
        var failure = await FailureAsync(new Store(() => null));

        Assert.Equal("SecretNotFound", failure.ErrorType);
        Assert.False(failure.Retryable);
        Assert.Contains("no secret 'KEY' is defined", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoreThatCannotBeReadFailsTheAttemptForTheRetryPolicy()
    {
        var failure = await FailureAsync(new Store(() => throw new FileNotFoundException("Could not find file '/run/secrets/key'")));

        Assert.Equal("SecretUnavailable", failure.ErrorType);
        Assert.True(failure.Retryable);
        Assert.Contains("/run/secrets/key", failure.Message, StringComparison.Ordinal);
    }

    private sealed class Store(Func<string?> value) : ISecretStore
    {
        public ValueTask<bool> ExistsAsync(string tenant, string name, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<string?> GetAsync(string tenant, string name, CancellationToken cancellationToken) => ValueTask.FromResult(value());
    }
}
