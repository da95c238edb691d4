using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Secrets;

/// <summary>
/// Secrets reach the server they are sent to, and nothing else: runs that use them (a success, failures with
/// them in the query string and a header, timeouts, a refused destination) leave no value in the event log,
/// the status, the stored state, problem bodies, any log line of any level, or any span.
/// </summary>
[Collection(SecretsApiCollection.Name)]
public sealed class SecretLeakTests(SecretsApiFactory factory, SecretReceiver receiver) : IClassFixture<SecretReceiver>, IDisposable
{
    private readonly ApiClient _api = new(factory.CreateClient());
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = _ => true,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    private static string Token => SecretsApiFactory.Token;

    private static string Key => SecretsApiFactory.Key;

    public void Dispose() => _listener.Dispose();

    private static JsonObject Call(string url, string? timeout = null, string? nodeTimeout = null, int attempts = 1)
    {
        var with = new JsonObject
        {
            ["url"] = url,
            ["headers"] = new JsonObject { ["Authorization"] = "Bearer ${{ secrets.LEAK_TOKEN }}", ["X-Api-Key"] = "${{ secrets.LEAK_KEY }}" },
        };
        if (timeout is not null)
        {
            with["timeout"] = timeout;
        }

        return Node("http", with, timeout: nodeTimeout, retry: new JsonObject { ["maxAttempts"] = attempts, ["initialDelay"] = "10ms" });
    }

    [Fact]
    public async Task TheValuesReachTheReceiverAndNoEventStatusStateProblemLogOrSpan()
    {
        _listener.ActivityStopped = _spans.Enqueue;
        ActivitySource.AddActivityListener(_listener);
        var key = NewId("k");
        var closed = ClosedPort();
        var runs = new (string Name, JsonObject Node, JsonNode? Input, string Status, string? ErrorType)[]
        {
            ("ok", Call($"{receiver.BaseUrl}/echo/{key}?api_key=${{{{ secrets.LEAK_KEY }}}}"), null, "succeeded", null),
            ("not found", Call($"{receiver.BaseUrl}/missing/{key}-404?token=${{{{ secrets.LEAK_TOKEN }}}}", attempts: 2), null, "failed", "HttpStatusError"),
            ("request timeout", Call($"{receiver.BaseUrl}/hang/{key}-slow?token=${{{{ secrets.LEAK_TOKEN }}}}", timeout: "300ms", attempts: 2), null, "failed", "HttpTimeout"),
            ("node timeout", Call($"{receiver.BaseUrl}/hang/{key}-node?token=${{{{ secrets.LEAK_TOKEN }}}}", nodeTimeout: "300ms"), null, "failed", "StepTimeout"),
            ("connection refused", Call($"http://127.0.0.1:{closed}/x?token=${{{{ secrets.LEAK_TOKEN }}}}"), null, "failed", "HttpRequestError"),
            ("refused destination", Call("http://10.0.0.1/x?token=${{ secrets.LEAK_TOKEN }}"), null, "failed", "DestinationNotAllowed"),
            // Only the rendered URL shows that this secret lands in the host: refused before anything is sent.
            ("secret in the host", Call("${{ input.scheme }}${{ secrets.LEAK_TOKEN }}/x"), new JsonObject { ["scheme"] = "http://" }, "failed", "InvalidUrl"),
        };

        var started = await Task.WhenAll(runs.Select(async r => await _api.StartAsync(await _api.PublishAsync(new JsonObject { ["call"] = r.Node }), r.Input)));
        var ended = await Task.WhenAll(started.Select(_api.WaitTerminalAsync));

        // The runs went as planned, and the values went where they were meant to.
        for (var i = 0; i < runs.Length; i++)
        {
            Assert.True(
                ended[i]["status"]!.GetValue<string>() == runs[i].Status && ended[i]["error"]?["type"]?.GetValue<string>() == runs[i].ErrorType,
                $"{runs[i].Name}: expected {runs[i].Status} {runs[i].ErrorType}; saw {ended[i].ToJsonString()}");
        }

        var sent = receiver.Requests[key];
        Assert.Equal($"Bearer {Token}", sent.Authorization);
        Assert.Equal(Key, sent.ApiKey);
        Assert.Equal($"?api_key={Key}", sent.Query);
        Assert.Equal($"?token={Token}", receiver.Requests[$"{key}-404"].Query);
        // The server echoed them: the output has the mask where they were.
        var echoed = ended[0]["result"]!["call"]!["body"]!;
        Assert.Equal("Bearer ***", echoed["authorization"]!.GetValue<string>());
        Assert.Equal("***", echoed["apiKey"]!.GetValue<string>());
        // Messages name the URL without its query.
        Assert.Equal($"GET {receiver.BaseUrl}/missing/{key}-404 answered 404", ended[1]["error"]!["message"]!.GetValue<string>());

        var published = await PublishRefusalsAsync();
        var seen = new List<(string Where, string Text)>();
        for (var i = 0; i < runs.Length; i++)
        {
            var id = started[i];
            seen.Add(($"{runs[i].Name}: status", ended[i].ToJsonString()));
            seen.Add(($"{runs[i].Name}: events", await (await _api.Http.GetAsync($"/v1/executions/{id}/events?limit=1000")).Content.ReadAsStringAsync()));
            seen.Add(($"{runs[i].Name}: stored state", await StoredStateAsync(id)));
        }

        seen.AddRange(published.Select(p => ("problem body", p)));
        var lines = factory.Logs.Lines.ToList();
        seen.AddRange(lines.Select(l => ("log", l)));
        var spans = _spans.ToList();
        seen.AddRange(spans.Select(s => ("span", Describe(s))));

        // What is searched holds what the runs did: their logs, the http client's spans, the failures' messages.
        Assert.Contains(lines, l => l.Contains(started[1], StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("System.Net.Http.HttpClient.agentorleans.http", StringComparison.Ordinal) && l.Contains($"/missing/{key}-404", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.GetTagItem("url.full") is string url && url.Contains($"/missing/{key}-404", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.DisplayName == "node call" && s.StatusDescription?.Contains("HttpTimeout", StringComparison.Ordinal) == true);
        var leaks = seen.Where(s => s.Text.Contains(Token, StringComparison.Ordinal) || s.Text.Contains(Key, StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} place(s) hold a secret's value; the first: {string.Join("\n", leaks.Take(3).Select(l => $"{l.Where}: {l.Text}"))}");
    }

    /// <summary>Refused definitions that name the secrets: their problem bodies name them, never their values.</summary>
    private async Task<List<string>> PublishRefusalsAsync()
    {
        var bodies = new List<string>();
        foreach (var with in new[]
        {
            new JsonObject { ["url"] = "https://example.com/${{ secrets.NOT_DEFINED }}", ["headers"] = new JsonObject { ["X-Api-Key"] = "${{ secrets.LEAK_KEY }}" } },
            new JsonObject { ["url"] = "https://example.com/", ["body"] = new JsonObject { ["token"] = "${{ secrets.LEAK_TOKEN }}" } },
        })
        {
            var id = NewId("wf");
            var definition = new JsonObject { ["id"] = id, ["start"] = "call", ["nodes"] = new JsonObject { ["call"] = Node("http", with) } };
            var response = await _api.PutJsonAsync($"/v1/workflows/{id}", definition.ToJsonString());
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        return bodies;
    }

    /// <summary>The execution's state as storage holds it.</summary>
    private async Task<string> StoredStateAsync(string executionId)
    {
        var storage = factory.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);
        var grain = factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IExecutionGrain>(executionId);
        var state = new GrainState<ExecutionState>();
        await storage.ReadStateAsync("execution", grain.GetGrainId(), state);
        Assert.True(state.RecordExists, $"expected stored state for {executionId}");
        return JsonSerializer.Serialize(state.State);
    }

    private static string Describe(Activity span)
    {
        var parts = new List<string> { span.Source.Name, span.OperationName, span.DisplayName, span.Status.ToString(), span.StatusDescription ?? "" };
        parts.AddRange(span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
        parts.AddRange(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}: {t.Key}={t.Value}")));
        parts.AddRange(span.Baggage.Select(b => $"baggage {b.Key}={b.Value}"));
        return string.Join(" ", parts);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
