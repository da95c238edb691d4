using System.Text.Json.Nodes;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.DependencyInjection;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Secrets;

/// <summary>A definition that names a secret the store does not hold is refused at publish, with the pointer of the string naming it.</summary>
[Collection(SecretsApiCollection.Name)]
public sealed class UnknownSecretTests(SecretsApiFactory factory)
{
    private static string Definition(string id, string headerSecret) => new JsonObject
    {
        ["id"] = id,
        ["start"] = "call",
        ["nodes"] = new JsonObject
        {
            ["call"] = Node("http", new JsonObject
            {
                ["url"] = "https://example.com/v1?key=${{ secrets.LEAK_KEY }}",
                ["headers"] = new JsonObject { ["X-Api-Key"] = $"${{{{ secrets.{headerSecret} }}}}" },
            }),
        },
    }.ToJsonString();

    [Fact]
    public async Task AnUnknownSecretIsRefusedWithItsPointerAndDefinedOnesAreAccepted()
    {
        var id = NewId("wf");
        var grain = factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IWorkflowDefinitionGrain>(id);

        var refused = await grain.PublishAsync(Definition(id, "NOT_DEFINED"));
        // Names ignore case, as configuration keys do.
        var accepted = await grain.PublishAsync(Definition(id, "leak_token"));

        Assert.False(refused.IsValid);
        var problem = Assert.Single(refused.Problems);
        Assert.Equal("/nodes/call/with/headers/X-Api-Key", problem.Pointer);
        Assert.Contains("no secret 'NOT_DEFINED' is defined", problem.Message, StringComparison.Ordinal);
        Assert.Contains("AgentOrleans:Secrets:NOT_DEFINED", problem.Message, StringComparison.Ordinal);
        Assert.True(accepted.IsValid, string.Join("; ", accepted.Problems.Select(p => $"{p.Pointer}: {p.Message}")));
    }
}
