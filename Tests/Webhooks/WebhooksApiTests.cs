using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Webhooks;

/// <summary>The webhook endpoints over HTTP (embedded default): the lifecycle, the secret shown once, and bad input as problems.</summary>
[Collection(ApiCollection.Name)]
public sealed class WebhooksApiTests(ApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    private static List<string> Pointers(JsonNode problem) => problem["errors"]!.AsArray().Select(e => e!["pointer"]!.GetValue<string>()).Order().ToList();

    [Fact]
    public async Task PutGetDeliveriesAndDeleteWithTheSecretShownOnlyWhenMade()
    {
        var id = NewId("hook");

        var created = await _api.PutJsonAsync($"/v1/webhooks/{id}", """{"url": "http://127.0.0.1:9/hook", "events": ["execution.completed", "node.waiting"]}""");
        var createdBody = await ApiClient.JsonAsync(created);
        var replaced = await _api.PutJsonAsync($"/v1/webhooks/{id}", """{"url": "http://127.0.0.1:9/other", "events": ["execution.failed"], "workflowId": "greet"}""");
        var replacedBody = await ApiClient.JsonAsync(replaced);
        var fetched = await _api.Http.GetAsync($"/v1/webhooks/{id}");
        var fetchedText = await fetched.Content.ReadAsStringAsync();
        var deliveries = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/webhooks/{id}/deliveries"));
        var deleted = await _api.Http.DeleteAsync($"/v1/webhooks/{id}");
        var gone = await _api.Http.GetAsync($"/v1/webhooks/{id}");
        var goneDeliveries = await _api.Http.GetAsync($"/v1/webhooks/{id}/deliveries");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith("whsec_", createdBody["secret"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Null(replacedBody["secret"]);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.DoesNotContain("secret", fetchedText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(createdBody["secret"]!.GetValue<string>(), fetchedText, StringComparison.Ordinal);
        var webhook = JsonNode.Parse(fetchedText)!;
        Assert.Equal("http://127.0.0.1:9/other", webhook["url"]!.GetValue<string>());
        Assert.Equal("greet", webhook["workflowId"]!.GetValue<string>());
        Assert.Empty(deliveries["deliveries"]!.AsArray());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, goneDeliveries.StatusCode);
    }

    [Fact]
    public async Task EveryProblemOfABodyIsNamedByItsPointer()
    {
        var response = await _api.PutJsonAsync($"/v1/webhooks/{NewId("hook")}", """{"url": "ftp://example.com/x", "events": ["execution.completed", "execution.exploded", 3], "secret": "plain", "colour": "red"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["/colour", "/events/1", "/events/2", "/secret", "/url"], Pointers(await ApiClient.JsonAsync(response)));
    }

    [Theory]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]:8080/hook")]
    [InlineData("http://127.0.0.2/hook")]
    public async Task APrivateDestinationIsRefusedByDefault(string url)
    {
        var response = await _api.PutJsonAsync($"/v1/webhooks/{NewId("hook")}", $$"""{"url": "{{url}}", "events": ["execution.completed"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ApiClient.JsonAsync(response);
        Assert.Equal(["/url"], Pointers(problem));
        Assert.Contains("AllowPrivateNetworks", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/webhooks/has%20space", """{"url": "http://127.0.0.1:9/", "events": ["execution.completed"]}""", "/id")]
    [InlineData("/v1/webhooks/ok", """{"events": []}""", "/url")]
    [InlineData("/v1/webhooks/ok", """{"url": "http://127.0.0.1:9/", "events": []}""", "/events")]
    [InlineData("/v1/webhooks/ok", """{"url": "http://user:pw@127.0.0.1:9/", "events": ["execution.completed"]}""", "/url")]
    [InlineData("/v1/webhooks/ok", """["not an object"]""", "")]
    public async Task ABadIdOrFieldIsA400WithItsPointer(string path, string body, string pointer)
    {
        var response = await _api.PutJsonAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(pointer, Pointers(await ApiClient.JsonAsync(response)));
    }

    [Fact]
    public async Task ADeliveriesLimitOutOfRangeIsA400()
    {
        var response = await _api.Http.GetAsync($"/v1/webhooks/{NewId("hook")}/deliveries?limit=0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["/limit"], Pointers(await ApiClient.JsonAsync(response)));
    }
}
