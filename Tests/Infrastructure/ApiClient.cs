using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>Intent-named calls to the HTTP API.</summary>
public sealed class ApiClient(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<string> PublishAsync(JsonObject nodes, JsonArray? edges = null)
    {
        var id = Runs.NewId("wf");
        var names = nodes.Select(n => n.Key).ToList();
        edges ??= new JsonArray(names.Zip(names.Skip(1), (a, b) => (JsonNode)new JsonObject { ["from"] = a, ["to"] = b }).ToArray());
        var definition = new JsonObject { ["id"] = id, ["start"] = names[0], ["nodes"] = nodes, ["edges"] = edges };
        var response = await PutJsonAsync($"/v1/workflows/{id}", definition.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    public Task<HttpResponseMessage> PutJsonAsync(string path, string json, string mediaType = "application/json") =>
        http.PutAsync(path, new StringContent(json, Encoding.UTF8, mediaType));

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return http.SendAsync(request);
    }

    public async Task<string> StartAsync(string workflowId, JsonNode? input = null)
    {
        var response = await PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflowId, ["input"] = input }.ToJsonString());
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"expected 202 Accepted, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await JsonAsync(response))["id"]!.GetValue<string>();
    }

    public async Task<JsonNode> WaitTerminalAsync(string executionId)
    {
        var until = DateTime.UtcNow + Runs.Deadline;
        JsonNode? execution = null;
        while (DateTime.UtcNow < until)
        {
            execution = await JsonAsync(await http.GetAsync($"/v1/executions/{executionId}?wait=5s"));
            if (execution["status"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled" or "timed_out")
            {
                return execution;
            }
        }

        Assert.Fail($"expected {executionId} to end within {Runs.Deadline}; last seen {execution?["status"]}");
        return null!;
    }

    /// <summary>Opens an SSE connection; the caller reads it with <see cref="ReadEventsAsync"/>.</summary>
    public async Task<HttpResponseMessage> OpenEventStreamAsync(string executionId, long? lastEventId = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{executionId}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>Reads SSE items until the stream ends or <paramref name="stopAfter"/> items were read.</summary>
    public static async Task<List<SseItem<string>>> ReadEventsAsync(HttpResponseMessage response, int stopAfter = int.MaxValue, CancellationToken cancellationToken = default)
    {
        var items = new List<SseItem<string>>();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            items.Add(item);
            if (items.Count >= stopAfter)
            {
                break;
            }
        }

        return items;
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static async Task<List<string>> ProblemPointersAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        return problem["errors"]?.AsArray().Select(e => e!["pointer"]!.GetValue<string>()).ToList() ?? [];
    }
}
