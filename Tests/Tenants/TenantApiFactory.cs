using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace AgentOrleans.Tests.Tenants;

/// <summary>
/// The embedded Api with authentication on and two tenants, <c>acme</c> and <c>globex</c>, each with one key holding
/// every scope; and a secret each tenant defines with its own value (<see cref="TenantToken"/>), one only acme
/// defines, and one shared by all.
/// </summary>
public sealed class TenantApiFactory : ApiFactory
{
    public const string Acme = "acme";

    public const string Globex = "globex";

    /// <summary>A secret of both tenants, each its own value.</summary>
    public const string TenantToken = "TENANT_TOKEN";

    /// <summary>A secret only acme defines.</summary>
    public const string AcmeOnly = "ACME_ONLY";

    public static readonly string AcmeValue = $"acme-{Guid.NewGuid():N}";

    public static readonly string GlobexValue = $"globex-{Guid.NewGuid():N}";

    public static readonly string SharedValue = $"shared-{Guid.NewGuid():N}";

    private readonly Dictionary<string, string> _keys = new() { [Acme] = ApiKeys.New(), [Globex] = ApiKeys.New() };

    protected override int PortSuffix => 443;

    /// <summary>A client of <paramref name="tenant"/>'s key.</summary>
    public ApiClient As(string tenant)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", _keys[tenant]);
        return new ApiClient(client);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (tenant, key) in _keys)
        {
            builder.UseSetting($"AgentOrleans:Auth:Keys:{tenant}-key:Hash", ApiKeys.HashHex(key));
            builder.UseSetting($"AgentOrleans:Auth:Keys:{tenant}-key:Tenant", tenant);
            builder.UseSetting($"AgentOrleans:Auth:Keys:{tenant}-key:Scopes", string.Join(',', Scopes.All));
        }

        builder.UseSetting($"AgentOrleans:Secrets:Tenants:{Acme}:{TenantToken}", AcmeValue);
        builder.UseSetting($"AgentOrleans:Secrets:Tenants:{Globex}:{TenantToken}", GlobexValue);
        builder.UseSetting($"AgentOrleans:Secrets:Tenants:{Acme}:{AcmeOnly}", AcmeValue);
        builder.UseSetting("AgentOrleans:Secrets:SHARED_TOKEN", SharedValue);
        builder.UseSetting("AgentOrleans:Cluster:Dashboard", "false");
    }

    /// <summary>Publishes <paramref name="nodes"/> (chained in order) as workflow <paramref name="id"/> of the client's tenant; the answer.</summary>
    public static Task<HttpResponseMessage> PublishAsync(ApiClient api, string id, JsonObject nodes)
    {
        var names = nodes.Select(n => n.Key).ToList();
        var edges = new JsonArray(names.Zip(names.Skip(1), (a, b) => (JsonNode)new JsonObject { ["from"] = a, ["to"] = b }).ToArray());
        var definition = new JsonObject { ["id"] = id, ["start"] = names[0], ["nodes"] = nodes.DeepClone(), ["edges"] = edges };
        return api.PutJsonAsync($"/v1/workflows/{id}", definition.ToJsonString());
    }

    /// <summary>Publishes and expects it created.</summary>
    public static async Task PublishNewAsync(ApiClient api, string id, JsonObject nodes)
    {
        using var response = await PublishAsync(api, id, nodes);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"publish {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

[CollectionDefinition(Name)]
public sealed class TenantApiCollection : ICollectionFixture<TenantApiFactory>
{
    public const string Name = "api-tenants";
}
