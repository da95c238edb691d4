using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;

namespace AgentOrleans.Tests.Caching;

/// <summary>Publishing a definition whose <c>cache</c> is wrong: a problem document naming each problem, never a 500.</summary>
[Collection(ApiCollection.Name)]
public sealed class CacheDefinitionApiTests(ApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task EachCacheProblemIsA400WithItsPointer()
    {
        var id = Runs.NewId("wf");
        JsonObject Transform(JsonNode cache) => new() { ["type"] = "transform", ["with"] = new JsonObject { ["set"] = new JsonObject() }, ["cache"] = cache };
        var body = new JsonObject
        {
            ["id"] = id,
            ["start"] = "a",
            ["nodes"] = new JsonObject
            {
                ["a"] = Transform(JsonValue.Create("1h")),
                ["b"] = Transform(new JsonObject { ["ttl"] = "-1s", ["key"] = 5, ["size"] = 10 }),
                ["c"] = Transform(new JsonObject { ["key"] = "${{ input.q" }),
                ["d"] = Transform(new JsonObject { ["ttl"] = "99999999999999999d" }),
            },
            ["edges"] = new JsonArray(
                new JsonObject { ["from"] = "a", ["to"] = "b" },
                new JsonObject { ["from"] = "b", ["to"] = "c" },
                new JsonObject { ["from"] = "c", ["to"] = "d" }),
        };

        var response = await _api.PutJsonAsync($"/v1/workflows/{id}", body.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var pointers = await ApiClient.ProblemPointersAsync(response);
        Assert.Contains("/nodes/a/cache", pointers);
        Assert.Contains("/nodes/b/cache/ttl", pointers);
        Assert.Contains("/nodes/b/cache/key", pointers);
        Assert.Contains("/nodes/b/cache/size", pointers);
        Assert.Contains("/nodes/c/cache/ttl", pointers);
        Assert.Contains("/nodes/c/cache/key", pointers);
        Assert.Contains("/nodes/d/cache/ttl", pointers);
    }
}
