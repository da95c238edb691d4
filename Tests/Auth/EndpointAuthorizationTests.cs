using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Auth;

/// <summary>
/// Every endpoint the app maps, found in its endpoint data source so a new one cannot be left out: without
/// credentials 401, with a key lacking its scope 403, with its scope neither; only health, the explorer's shell and a library file are anonymous.
/// </summary>
[Collection(AuthApiCollection.Name)]
public sealed partial class EndpointAuthorizationTests(AuthApiFactory factory)
{
    /// <summary>The probes, and the explorer's static shell (no data: its calls to /v1 carry the user's key).</summary>
    private static readonly string[] Anonymous = ["/healthz", "/readyz", "/ui/", "/ui/{**path}"];

    [Fact]
    public async Task EveryEndpointAnswers401WithoutCredentials403WithoutItsScopeAndServesItsScope()
    {
        var (workflowId, executionId) = await SeedAsync();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var checkedPatterns = new List<string>();
        var wrong = new List<string>();

        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                // The probes; and Scalar's own static files (its JavaScript, its icon), which the package maps anonymous: no data.
                if (!Anonymous.Contains(pattern) && !(pattern.StartsWith("/scalar/", StringComparison.Ordinal) && pattern[(pattern.LastIndexOf('/') + 1)..].Contains('.', StringComparison.Ordinal)))
                {
                    wrong.Add($"{pattern}: anonymous");
                }

                continue;
            }

            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).ToList();
            if (policies.Count != 1)
            {
                wrong.Add($"{pattern}: names {policies.Count} policies; every endpoint names exactly one (docs/security.md)");
                continue;
            }

            var policy = policies[0]!;
            var url = Concrete(pattern, workflowId, executionId);
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var scopes = AuthPolicies.ScopesFor(policy);
                var anonymous = await SendAsync(method, url, null);
                Expect(wrong, $"{method} {pattern} without credentials", anonymous, s => s == HttpStatusCode.Unauthorized, problem: true);
                if (scopes.Count > 0)
                {
                    var without = policy == AuthPolicies.WorkflowsRead ? "without_workflows_read" : $"without_{AuthApiFactory.Name(policy)}";
                    Expect(wrong, $"{method} {pattern} with {without}", await SendAsync(method, url, without), s => s == HttpStatusCode.Forbidden, problem: true);
                }

                var holder = scopes.Count > 0 ? $"only_{AuthApiFactory.Name(scopes[^1])}" : "only_admin";
                Expect(wrong, $"{method} {pattern} with {holder}", await SendAsync(method, url, holder), s => s is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), problem: false);
                checkedPatterns.Add($"{method} {pattern}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        foreach (var expected in new[] { "POST /v1/executions/", "GET /v1/executions/{id}/events", "POST /v1/executions/{id}/signals/{name}", "PUT /v1/workflows/{id}", "GET /metrics", "PUT /v1/webhooks/{id}", "GET /v1/webhooks/{id}/deliveries", "POST /v1/executions/{id}/rerun", "POST /v1/executions:cancel", "POST /v1/executions:rerun", "GET /v1/bulk/{id}" })
        {
            Assert.Contains(expected, checkedPatterns);
        }

        Assert.Contains(checkedPatterns, p => p.Contains("/dashboard", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheEventStreamNeedsExecutionsReadAndStreamsWithIt()
    {
        var (_, executionId) = await SeedAsync();

        using var anonymous = await StreamAsync(executionId, null);
        using var forbidden = await StreamAsync(executionId, "without_executions_read");
        using var allowed = await StreamAsync(executionId, "only_executions_read");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("executions:read", (await ApiClient.JsonAsync(forbidden))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("text/event-stream", allowed.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The401SaysWhatIsMissingAndTheSchemeToUse()
    {
        using var http = factory.ClientWith(null);

        using var none = await http.GetAsync($"/v1/executions/{NewId("any")}");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("Bearer", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var problem = await ApiClient.JsonAsync(none);
        Assert.Equal(401, problem["status"]!.GetValue<int>());
        Assert.Contains("credentials", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<(string WorkflowId, string ExecutionId)> SeedAsync()
    {
        var api = new ApiClient(factory.ClientWith("all"));
        var workflowId = await api.PublishAsync(new JsonObject { ["ask"] = Node("wait", new JsonObject { ["signal"] = "go" }) });
        return (workflowId, await api.StartAsync(workflowId));
    }

    private async Task<HttpResponseMessage> StreamAsync(string executionId, string? keyName)
    {
        using var http = factory.ClientWith(keyName);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{executionId}/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private async Task<(HttpStatusCode Status, string? ContentType)> SendAsync(string method, string url, string? keyName)
    {
        using var http = factory.ClientWith(keyName);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        if (url.EndsWith("/events", StringComparison.Ordinal))
        {
            request.Headers.Accept.ParseAdd("text/event-stream");
        }

        // An event stream (or a dashboard push) stays open: its headers are the answer.
        using var timeout = new CancellationTokenSource(Deadline);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType);
    }

    private static void Expect(List<string> wrong, string what, (HttpStatusCode Status, string? ContentType) answer, Func<HttpStatusCode, bool> ok, bool problem)
    {
        if (!ok(answer.Status) || (problem && answer.ContentType != "application/problem+json"))
        {
            wrong.Add($"{what}: {(int)answer.Status} {answer.ContentType}");
        }
    }

    // Route parameters get values that name what exists: the seeded workflow or execution, a signal, the OpenAPI document.
    private static string Concrete(string pattern, string workflowId, string executionId) => Parameter().Replace(pattern, m => m.Value.Contains(":int", StringComparison.Ordinal) ? "1" : m.Groups["name"].Value switch
    {
        "id" => pattern.StartsWith("/v1/workflows", StringComparison.Ordinal) ? workflowId : executionId,
        "name" => "go",
        "documentName" => "v1",
        _ => "x",
    });

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex Parameter();
}
