using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using AgentOrleans.Tests.Secrets;
using static AgentOrleans.Tests.Infrastructure.Runs;
using static AgentOrleans.Tests.Tenants.TenantApiFactory;

namespace AgentOrleans.Tests.Tenants;

/// <summary>
/// <c>${{ secrets.NAME }}</c> is the execution's tenant's secret (its own under <c>AgentOrleans:Secrets:Tenants:{tenant}</c>,
/// else the shared one), and the publish check asks for the definition's tenant.
/// </summary>
[Collection(TenantApiCollection.Name)]
public sealed class TenantSecretTests(TenantApiFactory factory, SecretReceiver receiver) : IClassFixture<SecretReceiver>
{
    private readonly ApiClient _acme = factory.As(Acme);
    private readonly ApiClient _globex = factory.As(Globex);

    private JsonObject Call(string key) => new()
    {
        ["call"] = Node("http", new JsonObject
        {
            ["url"] = $"{receiver.BaseUrl}/echo/{key}",
            ["headers"] = new JsonObject { ["Authorization"] = $"Bearer ${{{{ secrets.{TenantToken} }}}}", ["X-Api-Key"] = "${{ secrets.SHARED_TOKEN }}" },
        }),
    };

    [Fact]
    public async Task EachTenantsRunSendsItsTenantsValueAndBothTheSharedOne()
    {
        var workflowId = NewId("wf");
        var (acmeKey, globexKey) = (NewId("acme"), NewId("globex"));
        await PublishNewAsync(_acme, workflowId, Call(acmeKey));
        await PublishNewAsync(_globex, workflowId, Call(globexKey));

        var acme = await _acme.WaitTerminalAsync(await _acme.StartAsync(workflowId));
        var globex = await _globex.WaitTerminalAsync(await _globex.StartAsync(workflowId));

        Assert.Equal("succeeded", acme["status"]!.GetValue<string>());
        Assert.Equal("succeeded", globex["status"]!.GetValue<string>());
        Assert.Equal($"Bearer {AcmeValue}", receiver.Requests[acmeKey].Authorization);
        Assert.Equal($"Bearer {GlobexValue}", receiver.Requests[globexKey].Authorization);
        Assert.Equal(SharedValue, receiver.Requests[acmeKey].ApiKey);
        Assert.Equal(SharedValue, receiver.Requests[globexKey].ApiKey);
    }

    [Fact]
    public async Task ASecretOnlyAnotherTenantDefinesIsRefusedAtPublish()
    {
        var nodes = new JsonObject
        {
            ["call"] = Node("http", new JsonObject
            {
                ["url"] = $"{receiver.BaseUrl}/echo/{NewId("k")}",
                ["headers"] = new JsonObject { ["Authorization"] = $"Bearer ${{{{ secrets.{AcmeOnly} }}}}" },
            }),
        };
        var workflowId = NewId("wf");

        using var globex = await PublishAsync(_globex, workflowId, nodes);
        using var acme = await PublishAsync(_acme, workflowId, nodes);

        Assert.Equal(HttpStatusCode.BadRequest, globex.StatusCode);
        var problem = await ApiClient.JsonAsync(globex);
        Assert.Equal("/nodes/call/with/headers/Authorization", problem["errors"]![0]!["pointer"]!.GetValue<string>());
        Assert.Contains($"Tenants:{Globex}:{AcmeOnly}", problem["errors"]![0]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(AcmeValue, problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, acme.StatusCode);
    }
}
