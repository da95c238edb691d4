using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static AgentOrleans.Tests.Infrastructure.Runs;
using static AgentOrleans.Tests.Tenants.TenantApiFactory;

namespace AgentOrleans.Tests.Tenants;

/// <summary>
/// Every endpoint that names a resource, found in the app's endpoint data source so a new one cannot be left out,
/// answers another tenant's resource 404 (SSE and <c>?include=children</c> included), changes nothing of it, and
/// serves it to its own tenant.
/// </summary>
[Collection(TenantApiCollection.Name)]
public sealed partial class TenantEndpointIsolationTests(TenantApiFactory factory)
{
    // Create-or-replace by id: another tenant's PUT makes its own resource (TenantResourceTests), it cannot reach this one.
    private static readonly string[] OwnResourceOnPut = ["PUT /v1/workflows/{id}", "PUT /v1/schedules/{id}", "PUT /v1/webhooks/{id}"];

    private readonly ApiClient _acme = factory.As(Acme);
    private readonly ApiClient _globex = factory.As(Globex);

    [Fact]
    public async Task EveryEndpointAnswersAnotherTenantsResource404AndChangesNothing()
    {
        var (workflowId, executionId, scheduleId) = await SeedAsync();
        var (webhookId, bulkId) = await SeedOperationsAsync(workflowId);
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]))
            .Where(e => e.Pattern.StartsWith("/v1/", StringComparison.Ordinal) && e.Pattern.Contains("{id}", StringComparison.Ordinal))
            .ToList();
        var wrong = new List<string>();
        var walked = new List<string>();

        foreach (var (pattern, methods) in endpoints)
        {
            var url = Concrete(pattern, new(workflowId, executionId, scheduleId, webhookId, bulkId));
            foreach (var method in methods.Where(m => !OwnResourceOnPut.Contains($"{m} {pattern}")))
            {
                foreach (var variant in Variants(method, url))
                {
                    var (status, type) = await SendAsync(_globex, method, variant.Url, variant.Stream);
                    if (status != HttpStatusCode.NotFound || type != "application/problem+json")
                    {
                        wrong.Add($"{method} {variant.Url} (stream: {variant.Stream}) as {Globex}: {(int)status} {type}");
                    }

                    // Reads are served to the owner: the 404 above is the tenant's doing, not a wrong URL.
                    if (method == "GET" && (await SendAsync(_acme, method, variant.Url, variant.Stream)).Status != HttpStatusCode.OK)
                    {
                        wrong.Add($"{method} {variant.Url} (stream: {variant.Stream}) as {Acme}: not 200");
                    }
                }

                walked.Add($"{method} {pattern}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        foreach (var expected in new[]
        {
            "GET /v1/executions/{id}", "POST /v1/executions/{id}/cancel", "GET /v1/executions/{id}/events", "POST /v1/executions/{id}/signals/{name}",
            "POST /v1/executions/{id}/pause", "POST /v1/executions/{id}/resume", "GET /v1/workflows/{id}", "GET /v1/workflows/{id}/versions",
            "GET /v1/schedules/{id}", "DELETE /v1/schedules/{id}", "POST /v1/schedules/{id}/pause", "POST /v1/schedules/{id}/resume", "POST /v1/schedules/{id}/trigger",
            "POST /v1/executions/{id}/rerun", "DELETE /v1/executions/{id}", "GET /v1/bulk/{id}", "GET /v1/webhooks/{id}", "DELETE /v1/webhooks/{id}", "GET /v1/webhooks/{id}/deliveries",
        })
        {
            Assert.Contains(expected, walked);
        }

        // Nothing globex sent reached acme's resources: the execution still waits for its signal, unpaused; the schedule stands, unfired.
        var execution = await ApiClient.JsonAsync(await _acme.Http.GetAsync($"/v1/executions/{executionId}"));
        Assert.Equal("waiting", execution["status"]!.GetValue<string>());
        Assert.False(execution["cancelRequested"]!.GetValue<bool>());
        Assert.False(execution["pauseRequested"]!.GetValue<bool>());
        var events = (await ApiClient.JsonAsync(await _acme.Http.GetAsync($"/v1/executions/{executionId}/events")))["events"]!.AsArray();
        Assert.DoesNotContain(events, e => e!["type"]!.GetValue<string>() is "execution.signaled" or "execution.paused" or "execution.cancelled");
        var schedule = await ApiClient.JsonAsync(await _acme.Http.GetAsync($"/v1/schedules/{scheduleId}"));
        Assert.Equal("active", schedule["state"]!.GetValue<string>());
        Assert.Empty(schedule["lastFires"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await _acme.Http.GetAsync($"/v1/webhooks/{webhookId}")).StatusCode);
        await _acme.Http.DeleteAsync($"/v1/schedules/{scheduleId}");
        await _acme.Http.DeleteAsync($"/v1/webhooks/{webhookId}");
    }

    [Fact]
    public async Task ListsShowOnlyTheCallersTenant()
    {
        var (_, _, scheduleId) = await SeedAsync();

        var hook = NewId("hook");
        using var put = await _acme.PutJsonAsync($"/v1/webhooks/{hook}", """{"url": "http://127.0.0.1:9/hook", "events": ["execution.completed"]}""");
        var acmeHooks = await ApiClient.JsonAsync(await _acme.Http.GetAsync("/v1/webhooks"));
        var globexHooks = await ApiClient.JsonAsync(await _globex.Http.GetAsync("/v1/webhooks"));
        await _acme.Http.DeleteAsync($"/v1/webhooks/{hook}");
        var acmeHooksAfter = await ApiClient.JsonAsync(await _acme.Http.GetAsync("/v1/webhooks"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Contains(hook, acmeHooks["items"]!.AsArray().Select(h => h!["id"]!.GetValue<string>()));
        Assert.DoesNotContain("secret", acmeHooks.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(hook, globexHooks.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(hook, acmeHooksAfter.ToJsonString(), StringComparison.Ordinal);

        var acmeList = await ApiClient.JsonAsync(await _acme.Http.GetAsync("/v1/schedules?limit=500"));
        var globexList = await ApiClient.JsonAsync(await _globex.Http.GetAsync("/v1/schedules?limit=500"));

        Assert.Contains(scheduleId, acmeList["items"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.DoesNotContain(scheduleId, globexList["items"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.DoesNotContain($"{Acme}/", globexList.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain($"{Acme}/", acmeList.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(globexList["items"]!.AsArray().Count, globexList["total"]!.GetValue<int>());
        await _acme.Http.DeleteAsync($"/v1/schedules/{scheduleId}");
    }

    [Fact]
    public async Task AnIdThatNamesATenantsKeyIsNoIdAtAll()
    {
        var (workflowId, executionId, _) = await SeedAsync();

        // In a path: the escaped key of acme's execution names nothing for globex.
        using var inPath = await _globex.Http.GetAsync($"/v1/executions/{Uri.EscapeDataString($"{Acme}/{executionId}")}");
        using var eventsInPath = await _globex.Http.GetAsync($"/v1/executions/{Uri.EscapeDataString($"{Acme}/{executionId}")}/events");

        // In a body: a workflow id holding '/' is refused with its pointer.
        using var inBody = await _globex.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = $"{Acme}/{workflowId}" }.ToJsonString());

        // By its bare id, acme's workflow is not globex's to start.
        using var bare = await _globex.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflowId }.ToJsonString());

        Assert.Equal(HttpStatusCode.NotFound, inPath.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, eventsInPath.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, inBody.StatusCode);
        Assert.Contains("/workflowId", await ApiClient.ProblemPointersAsync(inBody));
        Assert.Equal(HttpStatusCode.NotFound, bare.StatusCode);
    }

    private async Task<(string WorkflowId, string ExecutionId, string ScheduleId)> SeedAsync()
    {
        var workflowId = NewId("wf");
        await PublishNewAsync(_acme, workflowId, new JsonObject
        {
            ["sub"] = Node("subworkflow", new JsonObject { ["workflowId"] = await ChildAsync() }),
            ["ask"] = Node("wait", new JsonObject { ["signal"] = "go" }),
        });
        var executionId = await _acme.StartAsync(workflowId);

        // Waiting for its signal, after its child: the merged read has a child to follow.
        await Polling.UntilAsync(
            async () => (await ApiClient.JsonAsync(await _acme.Http.GetAsync($"/v1/executions/{executionId}")))["status"]!.GetValue<string>() == "waiting",
            Deadline,
            TimeSpan.FromMilliseconds(50));
        var scheduleId = NewId("sched");
        using var schedule = await _acme.PutJsonAsync($"/v1/schedules/{scheduleId}", new JsonObject { ["workflowId"] = workflowId, ["every"] = "1h" }.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, schedule.StatusCode);
        return (workflowId, executionId, scheduleId);
    }

    /// <summary>A webhook of acme's and a bulk cancel of acme's over a workflow with no runs (so it changes nothing).</summary>
    private async Task<(string WebhookId, string BulkId)> SeedOperationsAsync(string workflowId)
    {
        var webhookId = NewId("hook");
        using var webhook = await _acme.PutJsonAsync($"/v1/webhooks/{webhookId}", """{"url": "http://127.0.0.1:9/hook", "events": ["execution.completed"]}""");
        Assert.Equal(HttpStatusCode.Created, webhook.StatusCode);
        using var bulk = await _acme.PostJsonAsync($"/v1/executions:cancel?workflowId={workflowId}-none", "{}");
        Assert.Equal(HttpStatusCode.Accepted, bulk.StatusCode);
        return (webhookId, (await ApiClient.JsonAsync(bulk))["id"]!.GetValue<string>());
    }

    private async Task<string> ChildAsync()
    {
        var id = NewId("child");
        await PublishNewAsync(_acme, id, new JsonObject { ["a"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["x"] = 1 } }) });
        return id;
    }

    private static IEnumerable<(string Url, bool Stream)> Variants(string method, string url)
    {
        if (method == "GET" && url.EndsWith("/events", StringComparison.Ordinal))
        {
            yield return (url, true);
            yield return (url + "?include=children", true);
            yield return (url + "?include=children", false);
        }

        yield return (url, false);
    }

    private static async Task<(HttpStatusCode Status, string? ContentType)> SendAsync(ApiClient api, string method, string url, bool stream)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        if (stream)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }

        // An event stream stays open: its headers are the answer.
        using var timeout = new CancellationTokenSource(Deadline);
        using var response = await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType);
    }

    private static string Concrete(string pattern, Seeded ids) => Parameter().Replace(pattern, m => m.Groups["name"].Value switch
    {
        "id" when pattern.StartsWith("/v1/workflows", StringComparison.Ordinal) => ids.WorkflowId,
        "id" when pattern.StartsWith("/v1/schedules", StringComparison.Ordinal) => ids.ScheduleId,
        "id" when pattern.StartsWith("/v1/webhooks", StringComparison.Ordinal) => ids.WebhookId,
        "id" when pattern.StartsWith("/v1/bulk", StringComparison.Ordinal) => ids.BulkId,
        "id" => ids.ExecutionId,
        "name" => "go",
        _ => "x",
    });

    private sealed record Seeded(string WorkflowId, string ExecutionId, string ScheduleId, string WebhookId, string BulkId);

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex Parameter();
}
