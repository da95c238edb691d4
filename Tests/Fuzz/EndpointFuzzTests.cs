using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Fuzz;

/// <summary>
/// Every endpoint under random and mutated input (bodies, content types, headers, ids, query values)
/// from a fixed seed, so a failure replays. The figure: no 5xx answer, and the Api healthy afterwards. Authentication
/// is on: a request without the key (a malformed, mutated or missing Authorization header) must get 401, and only that.
/// </summary>
[Collection(FuzzApiCollection.Name)]
public sealed class EndpointFuzzTests(FuzzApiFactory factory, ITestOutputHelper output)
{
    private const int Seed = 9457;
    private const int RequestsPerEndpoint = 2000;
    private const int Concurrency = 16;

    [Fact]
    public async Task NoEndpointAnswersA5xxToRandomInputAndTheApiStaysHealthy()
    {
        string workflowId, executionId;
        using var http = Client();
        using (var seeding = Client(factory.Key))
        {
            (workflowId, executionId) = await SeedAsync(seeding);
        }

        var endpoints = Endpoints(workflowId);
        var failures = new ConcurrentQueue<(string Endpoint, FuzzRequest Request, string Answer)>();
        var answered = new ConcurrentDictionary<string, int>();
        var clock = Stopwatch.StartNew();

        foreach (var (name, next) in endpoints)
        {
            // Generated up front from the seed, so concurrency does not change which requests are made.
            var inputs = new FuzzInputs(new Random(Seed + name.GetHashCode(StringComparison.Ordinal) % 1000), workflowId, executionId, factory.Key);
            var requests = Enumerable.Range(0, RequestsPerEndpoint).Select(_ => next(inputs)).ToList();
            await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (request, _) =>
            {
                var (status, failure) = await SendAsync(http, request, expect401: !name.Contains("healthz", StringComparison.Ordinal) && !HasKey(request) && AsciiHeaders(request));
                if (failure is not null)
                {
                    failures.Enqueue((name, request, failure));
                }

                answered.AddOrUpdate($"{name} {status}", 1, (_, n) => n + 1);
            });
        }

        output.WriteLine($"{endpoints.Count} endpoints x {RequestsPerEndpoint} requests in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var (statusLine, count) in answered.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{statusLine}: {count}");
        }

        var unexpected = failures.ToList();
        foreach (var (endpoint, _, answer) in unexpected.Take(100))
        {
            output.WriteLine($"{endpoint}: {answer[..Math.Min(answer.Length, 400)]}");
        }

        Assert.True(unexpected.Count == 0, $"{unexpected.Count} request(s) answered 5xx or not at all; the first:\n{string.Join("\n\n", unexpected.Take(5).Select(f => f.Answer))}");
        using var health = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task PublishingTheJsonNullIsABadRequestThatSaysWhatIsWrongAndWhere()
    {
        using var http = Client(factory.Key);

        using var response = await http.PutAsync("/v1/workflows/x", new StringContent("null", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var only = Assert.Single(problem["errors"]!.AsArray());
        Assert.Equal("", only!["pointer"]!.GetValue<string>());
        Assert.Contains("null", only["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>
    /// 5xx answers whose cause lies in code other engineers own as this is written; printed, not failed on.
    /// Delete an entry once its cause is fixed, and the run proves it.
    /// </summary>
    private static List<(string Name, Func<FuzzInputs, FuzzRequest> Next)> Endpoints(string workflowId)
    {
        var start = new JsonObject { ["workflowId"] = workflowId, ["version"] = 1, ["input"] = new JsonObject { ["n"] = 1 }, ["priority"] = 0 };
        var delayed = new JsonObject { ["workflowId"] = workflowId, ["input"] = new JsonObject { ["n"] = 1 }, ["startAfter"] = "1h" };
        var schedule = new JsonObject
        {
            ["workflowId"] = workflowId, ["input"] = new JsonObject { ["n"] = 1 }, ["cron"] = "0 9 * * MON", ["timeZone"] = "Europe/Berlin",
            ["startAt"] = "2030-01-01T00:00:00Z", ["endAt"] = "2031-01-01T00:00:00Z", ["jitter"] = "1s", ["overlap"] = "skip", ["catchUpWindow"] = "1m", ["paused"] = true,
        };
        return
        [
            ("PUT /v1/workflows/{id}", f => WithId(f, id => new("PUT", $"/v1/workflows/{id}", f.Headers(), f.Body(FuzzInputs.Definition(Uri.UnescapeDataString(id))), f.ContentType()))),
            ("GET /v1/workflows/{id}", f => WithId(f, id => new("GET", $"/v1/workflows/{id}{f.Query("version")}", f.Headers(), null, null))),
            ("GET /v1/workflows/{id}/versions", f => WithId(f, id => new("GET", $"/v1/workflows/{id}/versions", f.Headers(), null, null))),
            ("POST /v1/executions", f => new("POST", "/v1/executions", f.Headers(), f.Body(start), f.ContentType())),
            ("GET /v1/executions/{id}", f => WithId(f, id => new("GET", $"/v1/executions/{id}{f.Query("wait")}", f.Headers(), null, null))),
            ("GET /v1/executions/{id}/events", f => WithId(f, id => new("GET", $"/v1/executions/{id}/events{f.Query("after", "limit")}", f.Headers(), null, null))),
            ("POST /v1/executions/{id}/cancel", f => WithId(f, id => new("POST", $"/v1/executions/{id}/cancel", f.Headers(), f.Body(new JsonObject()), f.ContentType()))),
            ("POST /v1/executions/{id}/signals/{name}", f => WithId(f, id => new("POST", $"/v1/executions/{id}/signals/{f.Id()}", f.Headers(), f.Body(new JsonObject { ["approved"] = true }), f.ContentType()))),
            ("POST /v1/executions/{id}/pause", f => WithId(f, id => new("POST", $"/v1/executions/{id}/pause", f.Headers(), f.Body(new JsonObject()), f.ContentType()))),
            ("POST /v1/executions/{id}/resume", f => WithId(f, id => new("POST", $"/v1/executions/{id}/resume", f.Headers(), f.Body(new JsonObject()), f.ContentType()))),
            ("POST /v1/executions (startAt, startAfter)", f => new("POST", "/v1/executions", f.Headers(), f.Body(delayed), f.ContentType())),
            ("PUT /v1/schedules/{id}", f => WithId(f, id => new("PUT", $"/v1/schedules/{id}", f.Headers(), f.Body(schedule), f.ContentType()))),
            ("GET /v1/schedules/{id}", f => WithId(f, id => new("GET", $"/v1/schedules/{id}", f.Headers(), null, null))),
            ("GET /v1/schedules", f => new("GET", $"/v1/schedules{f.Query("after", "limit")}", f.Headers(), null, null)),
            ("POST /v1/schedules/{id}/trigger", f => WithId(f, id => new("POST", $"/v1/schedules/{id}/trigger", f.Headers(), f.Body(new JsonObject()), f.ContentType()))),
            ("DELETE /v1/schedules/{id}", f => WithId(f, id => new("DELETE", $"/v1/schedules/{id}", f.Headers(), null, null))),
            ("GET /v1/schemas/workflow.json", f => new("GET", $"/v1/schemas/workflow.json{f.Query("after")}", f.Headers(), null, null)),
            ("GET /healthz, /readyz", f => new("GET", $"/{(f.Number().Length % 2 == 0 ? "healthz" : "readyz")}{f.Query("wait")}", f.Headers(), null, null)),
        ];
    }

    private static FuzzRequest WithId(FuzzInputs inputs, Func<string, FuzzRequest> request)
    {
        var id = inputs.Id();
        return request(id) with { Id = id };
    }

    // Kestrel refuses a header that is not ASCII with its own 400 before any middleware: no 401 to expect then.
    private static bool AsciiHeaders(FuzzRequest request) => request.Headers.All(h => h.Value.All(char.IsAscii));

    private bool HasKey(FuzzRequest request) => request.Headers.Count(h => h.Name == "Authorization") == 1 && request.Headers.Contains(("Authorization", $"Bearer {factory.Key}"));

    /// <summary>The status (0: no answer, -1: not sendable), and for a 5xx, no answer, or anything but a 401 where one is due, the request and what came back.</summary>
    private static async Task<(int Status, string? Failure)> SendAsync(HttpClient http, FuzzRequest request, bool expect401)
    {
        HttpRequestMessage message;
        try
        {
            message = request.ToMessage();
        }
        catch (Exception ex) when (ex is UriFormatException or FormatException or ArgumentException)
        {
            return (-1, null); // not sendable by any HTTP client: nothing to learn from the server
        }

        using (message)
        {
            // An event stream stays open by design: its headers are the answer.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                // Kestrel's own refusals (400 for a NUL in the path, 414 for a path too long) come before any middleware, without a body.
                var refusedByServer = status is 400 or 414 or 431 && response.Content.Headers.ContentType is null;
                if (status < 500 && (!expect401 || status == 401 || refusedByServer))
                {
                    return (status, null);
                }

                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                return (status, $"{request}\n  -> {status} {body[..Math.Min(body.Length, 1500)]}");
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                return (0, $"{request}\n  -> no answer: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    private static async Task<(string WorkflowId, string ExecutionId)> SeedAsync(HttpClient http)
    {
        var workflowId = Runs.NewId("fuzz");
        using var published = await http.PutAsync($"/v1/workflows/{workflowId}", new StringContent(FuzzInputs.Definition(workflowId).ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        using var started = await http.PostAsync("/v1/executions", new StringContent($"{{\"workflowId\":\"{workflowId}\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var executionId = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        return (workflowId, executionId);
    }

    private HttpClient Client(string? key = null)
    {
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var handler = new SocketsHttpHandler
        {
            // Non-ASCII header values go out as UTF-8 instead of being refused by the client.
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = Concurrency,
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri(address), Timeout = Timeout.InfiniteTimeSpan };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }

        return http;
    }
}
