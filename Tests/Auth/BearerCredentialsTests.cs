using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Auth;

/// <summary>What a caller may send as Authorization: malformed headers get 401 (never a 500); keys and JWTs with the configured claim names get in.</summary>
[Collection(AuthApiCollection.Name)]
public sealed class BearerCredentialsTests(AuthApiFactory factory)
{
    public static TheoryData<string> Malformed => new()
    {
        "garbage",
        "Bearer",
        "Bearer ",
        "Bearer    ",
        "Basic dXNlcjpwYXNzd29yZA==",
        "Token ao_abc",
        "Bearer ao_",
        "Bearer ao_not-a-key-anyone-holds",
        "Bearer ao_a b",
        "Bearer " + new string('x', 12_000),
        "Bearer ao_" + new string('k', 12_000),
        "Bearer not.a.jwt",
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
        "Bearer\tao_tab",
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedOrUnknownAuthorizationHeaderIs401NeverA500(string header)
    {
        using var http = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{NewId("any")}");
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", header));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TwoAuthorizationHeadersAre401EvenWhenOneHoldsAGoodKey()
    {
        using var http = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{NewId("any")}");
        request.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + factory.Keys["all"], "Bearer " + factory.Keys["all"]]);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TheSchemeNameIsCaseInsensitive()
    {
        using var http = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{NewId("any")}");
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + factory.Keys["only_executions_read"]);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AJwtWithTheConfiguredScopeAndTenantClaimsGetsInWithItsScopesOnly()
    {
        var token = factory.Token(new() { ["sub"] = "user-7", [AuthApiFactory.ScopeClaim] = "executions:start executions:read", [AuthApiFactory.TenantClaim] = "acme" });
        var api = new ApiClient(factory.ClientWith("all"));
        var workflowId = await api.PublishAsync(new JsonObject { ["ask"] = Node("wait", new JsonObject { ["signal"] = "go" }) });
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        var started = await new ApiClient(http).StartAsync(workflowId);
        using var status = await http.GetAsync($"/v1/executions/{started}");
        using var cancel = await http.PostAsync($"/v1/executions/{started}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        Assert.Contains("'user-7'", (await ApiClient.JsonAsync(cancel))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static readonly string[] AdminAndRead = ["admin", "executions:read"];

    [Fact]
    public async Task ScopesAsAJsonArrayClaimCountEachOne()
    {
        var token = factory.Token(new() { ["sub"] = "user-8", [AuthApiFactory.ScopeClaim] = AdminAndRead });
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        using var metrics = await http.GetAsync("/metrics");
        using var start = await http.PostAsync("/v1/executions", null);

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);
    }

    public static TheoryData<string> BadTokens => new() { "wrong key", "expired", "other audience", "no subject" };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task ATokenThatDoesNotValidateIs401(string what)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "user-9", [AuthApiFactory.ScopeClaim] = "executions:read" };
        var token = what switch
        {
            "wrong key" => factory.Token(claims, signedWith: new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32))),
            "expired" => factory.Token(claims, expires: DateTime.UtcNow.AddMinutes(-6)),
            "other audience" => factory.Token(claims, audience: "someone-else"),
            _ => factory.Token(new() { [AuthApiFactory.ScopeClaim] = "executions:read" }),
        };
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        using var response = await http.GetAsync($"/v1/executions/{NewId("any")}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
