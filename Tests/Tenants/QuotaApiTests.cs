using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Tenants;

/// <summary>Tenant quotas through the Api: the start rate per tenant, and the definition limits at publish.</summary>
[Collection(QuotaApiCollection.Name)]
public sealed class QuotaApiTests(QuotaApiFactory factory)
{
    [Fact]
    public async Task ATenantStartingFasterThanItsRateGets429WithRetryAfterWhileAnotherTenantIsNotHeldBack()
    {
        var slow = new ApiClient(factory.ClientOf(QuotaApiFactory.Slow));
        var free = new ApiClient(factory.ClientOf(QuotaApiFactory.Free));
        var slowWorkflow = await slow.PublishAsync(new JsonObject { ["work"] = Node("test.count") });
        var freeWorkflow = await free.PublishAsync(new JsonObject { ["work"] = Node("test.count") });

        var slowStarts = new List<HttpResponseMessage>();
        for (var i = 0; i < QuotaApiFactory.SlowBurst + 3; i++)
        {
            slowStarts.Add(await slow.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = slowWorkflow }.ToJsonString()));
        }

        var freeStarts = new List<HttpResponseMessage>();
        for (var i = 0; i < 10; i++)
        {
            freeStarts.Add(await free.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = freeWorkflow }.ToJsonString()));
        }

        Assert.All(slowStarts.Take(QuotaApiFactory.SlowBurst), r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        foreach (var refused in slowStarts.Skip(QuotaApiFactory.SlowBurst))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(100));
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await ApiClient.JsonAsync(refused);
            Assert.Equal(429, problem["status"]!.GetValue<int>());
            Assert.Contains($"AgentOrleans:Tenants:{QuotaApiFactory.Slow}:StartsPerSecond", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.All(freeStarts, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
    }

    [Fact]
    public async Task ADefinitionWithMoreNodesThanTheDefaultLimitIsRefusedWithThePointer()
    {
        var api = new ApiClient(factory.ClientOf(QuotaApiFactory.Free));
        var id = NewId("wf");
        var nodes = new JsonObject();
        for (var i = 0; i <= QuotaApiFactory.MaxNodes; i++)
        {
            nodes[$"n{i}"] = Node("test.count");
        }

        var response = await api.PutJsonAsync($"/v1/workflows/{id}", new JsonObject { ["id"] = id, ["start"] = "n0", ["nodes"] = nodes }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["/nodes"], await ApiClient.ProblemPointersAsync(response));
    }
}
