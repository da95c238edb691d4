using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Auth;

/// <summary>Events a caller causes (start, signal, pause, resume, cancel) name it as <c>by</c>: the key's name or the token's subject.</summary>
[Collection(AuthApiCollection.Name)]
public sealed class AuditTests(AuthApiFactory factory)
{
    private static JsonObject WaitThenSet() => new()
    {
        ["ask"] = Node("wait", new JsonObject { ["signal"] = "go" }),
        ["after"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["done"] = true } }),
    };

    [Fact]
    public async Task StartSignalPauseAndResumeEventsNameTheKeyThatCausedThem()
    {
        var workflowId = await new ApiClient(factory.ClientWith("all")).PublishAsync(WaitThenSet());
        var id = await new ApiClient(factory.ClientWith("only_executions_start")).StartAsync(workflowId);
        var reader = new ApiClient(factory.ClientWith("only_executions_read"));
        await StatusAsync(reader, id, "waiting");
        using var control = factory.ClientWith("only_executions_cancel");

        using var pause = await control.PostAsync($"/v1/executions/{id}/pause", null);
        using var signal = await new ApiClient(factory.ClientWith("only_executions_signal")).PostJsonAsync($"/v1/executions/{id}/signals/go", "{}");
        await StatusAsync(reader, id, "paused");
        using var resume = await control.PostAsync($"/v1/executions/{id}/resume", null);
        var done = await reader.WaitTerminalAsync(id);
        var events = await EventsAsync(reader, id);

        Assert.Equal(HttpStatusCode.Accepted, pause.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, signal.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.Equal("only_executions_start", By(events, "execution.queued"));
        Assert.Equal("only_executions_start", By(events, "execution.started"));
        Assert.Equal("only_executions_signal", By(events, "execution.signaled"));
        Assert.Equal("only_executions_cancel", By(events, "execution.paused"));
        Assert.Equal("only_executions_cancel", By(events, "execution.resumed"));
    }

    [Fact]
    public async Task ACancelNamesItsCallerAndATokenIsNamedByItsSubject()
    {
        // The keys are acme's: the token names acme too, or its tenant (default) would have no such workflow.
        var workflowId = await new ApiClient(factory.ClientWith("all")).PublishAsync(WaitThenSet());
        using var tokenHttp = factory.CreateClient();
        tokenHttp.DefaultRequestHeaders.Authorization = new("Bearer", factory.Token(new() { ["sub"] = "alice", [AuthApiFactory.ScopeClaim] = "executions:start", [AuthApiFactory.TenantClaim] = "acme" }));
        var id = await new ApiClient(tokenHttp).StartAsync(workflowId);
        var reader = new ApiClient(factory.ClientWith("all"));
        await StatusAsync(reader, id, "waiting");

        using var cancel = await factory.ClientWith("without_executions_read").PostAsync($"/v1/executions/{id}/cancel?reason=enough", null);
        await reader.WaitTerminalAsync(id);
        var events = await EventsAsync(reader, id);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal("alice", By(events, "execution.queued"));
        Assert.Equal("without_executions_read", By(events, "execution.cancelled"));
    }

    public static async Task<JsonNode> StatusAsync(ApiClient api, string id, string status) =>
        await Polling.UntilAsync(
            async () => await ApiClient.JsonAsync(await api.Http.GetAsync($"/v1/executions/{id}")),
            s => s["status"]!.GetValue<string>() == status,
            Deadline,
            TimeSpan.FromMilliseconds(20));

    public static async Task<JsonArray> EventsAsync(ApiClient api, string id) =>
        (await ApiClient.JsonAsync(await api.Http.GetAsync($"/v1/executions/{id}/events?limit=1000")))["events"]!.AsArray();

    public static string? By(JsonArray events, string type)
    {
        var found = events.FirstOrDefault(e => e!["type"]!.GetValue<string>() == type);
        Assert.True(found is not null, $"no {type} among {string.Join(", ", events.Select(e => e!["type"]))}");
        return found!["data"]?["by"]?.GetValue<string>();
    }
}

/// <summary>With authentication off the events read as before callers were named: no <c>by</c> on what a start or a cancel records.</summary>
[Collection(ApiCollection.Name)]
public sealed class AnonymousAuditTests(ApiFactory factory)
{
    [Fact]
    public async Task WithoutAuthenticationStartAndCancelEventsCarryNoBy()
    {
        var api = new ApiClient(factory.CreateClient());
        var id = await api.StartAsync(await api.PublishAsync(new JsonObject { ["ask"] = Node("wait", new JsonObject { ["signal"] = "go" }) }));
        await AuditTests.StatusAsync(api, id, "waiting");

        using var cancel = await api.Http.PostAsync($"/v1/executions/{id}/cancel", null);
        await api.WaitTerminalAsync(id);
        var events = await AuditTests.EventsAsync(api, id);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Null(AuditTests.By(events, "execution.queued"));
        Assert.Null(AuditTests.By(events, "execution.started"));
        Assert.Null(AuditTests.By(events, "execution.cancelled"));
        Assert.False(events.First(e => e!["type"]!.GetValue<string>() == "execution.queued")!["data"]!.AsObject().ContainsKey("by"));
    }
}
