using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;

namespace AgentOrleans.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class ApiSurfaceTests(ApiFactory factory)
{
    private readonly HttpClient _http = factory.CreateClient();

    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryEndpoint()
    {
        var document = JsonNode.Parse(await _http.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Contains("/v1/workflows/{id}", paths);
        Assert.Contains("/v1/workflows/{id}/versions", paths);
        Assert.Contains("/v1/executions", paths);
        Assert.Contains("/v1/executions/{id}", paths);
        Assert.Contains("/v1/executions/{id}/cancel", paths);
        Assert.Contains("/v1/executions/{id}/events", paths);
        Assert.Contains("/v1/schemas/workflow.json", paths);
    }

    [Fact]
    public async Task TheInteractiveReferenceAndTheWorkflowSchemaAreServed()
    {
        var reference = await _http.GetAsync("/scalar/v1");
        var schema = await _http.GetAsync("/v1/schemas/workflow.json");

        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Equal(HttpStatusCode.OK, schema.StatusCode);
        Assert.Equal("application/schema+json", schema.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://agentorleans.dev/schemas/workflow.json", JsonNode.Parse(await schema.Content.ReadAsStringAsync())!["$id"]!.GetValue<string>());
    }

    [Fact]
    public async Task HealthAndReadinessAnswer()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task TheDashboardIsServed()
    {
        var response = await _http.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("html", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownRouteIsAProblemNotFound()
    {
        var response = await _http.GetAsync("/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
