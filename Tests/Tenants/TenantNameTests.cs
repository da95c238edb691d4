using System.Net;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Tenants;

/// <summary>Tenant names are checked where they come in: an API key's configured tenant, and a token's tenant claim.</summary>
[Collection(AuthApiCollection.Name)]
public sealed class TenantNameTests(AuthApiFactory factory)
{
    private static AuthOptions WithKeyOf(string? tenant) => new()
    {
        Keys = { ["ci"] = new ApiKeyEntry { Hash = ApiKeys.HashHex(ApiKeys.New()), Tenant = tenant, Scopes = [Scopes.ExecutionsRead] } },
    };

    [Theory]
    [InlineData("Acme")]
    [InlineData("acme corp")]
    [InlineData("acme/eu")]
    [InlineData("")]
    [InlineData("-acme")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void AKeysTenantThatIsNoTenantNameIsAConfigurationProblem(string tenant)
    {
        var problems = WithKeyOf(tenant).Problems();

        var problem = Assert.Single(problems);
        Assert.StartsWith("AgentOrleans:Auth:Keys:ci:Tenant", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("acme")]
    [InlineData("eu-west.acme_2")]
    public void AKeyWithoutATenantOrWithATenantNameIsFine(string? tenant) => Assert.Empty(WithKeyOf(tenant).Problems());

    [Theory]
    [InlineData("Acme")]
    [InlineData("acme/../globex")]
    [InlineData("a b")]
    public async Task ATokenWhoseTenantClaimIsNoTenantNameIs401(string tenant)
    {
        var token = factory.Token(new() { ["sub"] = "user-t", [AuthApiFactory.ScopeClaim] = "executions:read", [AuthApiFactory.TenantClaim] = tenant });
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        using var response = await http.GetAsync($"/v1/executions/{NewId("any")}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ATokenWithATenantNameGetsIn()
    {
        var token = factory.Token(new() { ["sub"] = "user-t", [AuthApiFactory.ScopeClaim] = "executions:read", [AuthApiFactory.TenantClaim] = "globex" });
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        using var response = await http.GetAsync($"/v1/executions/{NewId("any")}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

/// <summary>What can name a tenant's key from outside: neither the key command's tenant nor a position's child.</summary>
public sealed class TenantInputTests
{
    [Fact]
    public void KeysNewRefusesATenantThatIsNoTenantName()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = AgentOrleans.Api.Auth.KeysCommand.Run(["keys", "new", "--tenant", "Acme/EU", "--scopes", "executions:read"], output, error);

        Assert.NotEqual(0, exit);
        Assert.Contains("--tenant", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("ao_", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void APositionWhoseChildHoldsTheSeparatorIsNoPosition()
    {
        var child = System.Buffers.Text.Base64Url.EncodeToString("""[3,["sub:1","sub",2]]"""u8);
        var crafted = System.Buffers.Text.Base64Url.EncodeToString("""[3,["x/y","sub",2]]"""u8);

        var good = AgentOrleans.Api.Executions.MergedPosition.Parse(AgentOrleans.Api.Executions.MergedPosition.Prefix + child, "acme/root", out _);
        var bad = AgentOrleans.Api.Executions.MergedPosition.Parse(AgentOrleans.Api.Executions.MergedPosition.Prefix + crafted, "acme/root", out var problem);

        Assert.Equal("acme/root:sub:1", Assert.Single(good!.Children).ExecutionId);
        Assert.Null(bad);
        Assert.NotNull(problem);
    }
}
