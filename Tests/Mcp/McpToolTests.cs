using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using AgentOrleans.Tests.Steps.Llm;
using static AgentOrleans.Tests.Executions.SignalTests;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Mcp;

/// <summary>
/// Agent tools from MCP servers, end to end: the simulator model calls tools of tools/McpTestServer, a real stdio
/// process started by the silo.
/// </summary>
[Collection(McpCollection.Name)]
public sealed class McpToolTests(McpFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    private static JsonObject Mcp(string server, string? tool = null, JsonNode? approval = null)
    {
        var mcp = new JsonObject { ["server"] = server };
        if (tool is not null)
        {
            mcp["tool"] = tool;
        }

        var entry = new JsonObject { ["mcp"] = mcp };
        if (approval is not null)
        {
            entry["approval"] = approval;
        }

        return entry;
    }

    private async Task<IExecutionGrain> StartAgentAsync(string prompt, JsonObject? retry, params JsonObject[] tools)
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["agent"] = Node("agent", new JsonObject { ["prompt"] = prompt, ["tools"] = new JsonArray(tools) }, retry: retry),
        });
        return await _workflows.StartAsync(workflowId);
    }

    private static async Task<ExecutionSnapshot> SucceededAsync(IExecutionGrain execution)
    {
        var done = await TerminalAsync(execution);
        Assert.True(done.Status == ExecutionStatus.Succeeded, $"expected success; saw {done.Status}: {done.Error?.Type} {done.Error?.Message}");
        return done;
    }

    private static async Task<ExecutionSnapshot> FailedAsync(IExecutionGrain execution, string errorType)
    {
        var done = await TerminalAsync(execution);
        Assert.True(done.Status == ExecutionStatus.Failed && done.Error?.Type == errorType, $"expected failure {errorType}; saw {done.Status}: {done.Error?.Type} {done.Error?.Message}");
        return done;
    }

    /// <summary>The text of the first content block of an MCP result as the run recorded it.</summary>
    private static string Text(JsonNode? result) => result!["content"]![0]!["text"]!.GetValue<string>();

    private int EndedLines(string server) => fixture.Api.Logs.Lines.Count(l => l.Contains($"MCP server {server} ended on its own", StringComparison.Ordinal));

    private int StartedLines(string server) => fixture.Api.Logs.Lines.Count(l => l.Contains($"MCP server {server} started", StringComparison.Ordinal));

    [Fact]
    public async Task AllOfAServersToolsAreOfferedToTheModelInTheFunctionFormat()
    {
        var marker = NewId("m");
        var execution = await StartAgentAsync($"use tool list_files {marker}", null, Mcp(McpApiFactory.Files));
        var done = await SucceededAsync(execution);

        var offered = fixture.Simulator.RequestsWith(marker)[0].Body!["tools"]!.AsArray();
        Assert.Equal(["add", "echo", "exit", "has_env", "list_files", "read_file", "tally"], offered.Select(t => t!["function"]!["name"]!.GetValue<string>()).Order());
        Assert.All(offered, t => Assert.Equal("function", t!["type"]!.GetValue<string>()));
        var readFile = offered.Single(t => t!["function"]!["name"]!.GetValue<string>() == "read_file")!["function"]!;
        Assert.Equal("Reads one file of the sandbox.", readFile["description"]!.GetValue<string>());
        Assert.Equal(["path"], readFile["parameters"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("string", readFile["parameters"]!["properties"]!["path"]!["type"]!.GetValue<string>());
        var call = LlmEvents.Output(done, "agent")["toolCalls"]![0]!;
        Assert.Equal(("list_files", "notes.txt\ntodo.md"), (call["name"]!.GetValue<string>(), Text(call["result"])));
    }

    [Fact]
    public async Task ACallsResultReachesTheModelAndTheRunsOutput()
    {
        var marker = NewId("m");
        var execution = await StartAgentAsync($$"""use tool read_file args {"path":"notes.txt"} {{marker}}""", null, Mcp(McpApiFactory.Files, "read_file"));
        var done = await SucceededAsync(execution);

        var requests = fixture.Simulator.RequestsWith(marker);
        Assert.Equal(["read_file"], requests[0].Body!["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()));
        var toolMessage = requests[^1].Body!["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "tool")!;
        Assert.Equal("Remember the milk.", Text(JsonNode.Parse(toolMessage["content"]!.GetValue<string>())));
        var output = LlmEvents.Output(done, "agent");
        var call = output["toolCalls"]![0]!;
        Assert.Equal("notes.txt", call["arguments"]!["path"]!.GetValue<string>());
        Assert.Equal(("Remember the milk.", false), (Text(call["result"]), call["result"]!["isError"]!.GetValue<bool>()));
        Assert.Contains("Remember the milk.", output["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var chunks = LlmEvents.Chunks(await EventsAsync(execution));
        Assert.Equal("Remember the milk.", Text(Assert.Single(chunks, c => c["toolResult"] is not null)["toolResult"]!["result"]));
    }

    [Fact]
    public async Task AToolErrorReachesTheModelAsAResultWithIsError()
    {
        var marker = NewId("m");
        var execution = await StartAgentAsync($$"""use tool read_file args {"path":"missing.txt"} {{marker}}""", null, Mcp(McpApiFactory.Files, "read_file"));
        var done = await SucceededAsync(execution);

        var result = LlmEvents.Output(done, "agent")["toolCalls"]![0]!["result"]!;
        Assert.True(result["isError"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Contains("no file 'missing.txt'", Text(result), StringComparison.Ordinal);
        var toolMessage = fixture.Simulator.RequestsWith(marker)[^1].Body!["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "tool")!;
        Assert.True(JsonNode.Parse(toolMessage["content"]!.GetValue<string>())!["isError"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ACallWithApprovalWaitsThenRunsWhenApprovedAndNotWhenRejected(bool approved)
    {
        var marker = NewId("m");
        var execution = await StartAgentAsync($$"""use tool echo args {"message":"hello {{marker}}"} {{marker}}""", null, Mcp(McpApiFactory.Files, "echo", approval: true));

        var waiting = await Polling.UntilAsync(execution.GetAsync, s => s?.Status == ExecutionStatus.Waiting && s.WaitingFor.Count == 1, Deadline, TimeSpan.FromMilliseconds(20));
        Assert.True(waiting?.Status == ExecutionStatus.Waiting, $"expected the run to wait for the approval; saw {waiting?.Status}: {waiting?.Error?.Type} {waiting?.Error?.Message}");
        var approval = waiting!.WaitingFor[0].Approval!;
        Assert.Equal("echo", approval.Name);
        Assert.Equal($"hello {marker}", JsonNode.Parse(approval.ArgumentsJson)!["message"]!.GetValue<string>());
        // Waiting, the call has not run: the model was asked once, and no result was streamed.
        Assert.Single(fixture.Simulator.RequestsWith(marker));
        Assert.DoesNotContain(LlmEvents.Chunks(await EventsAsync(execution)), c => c["toolResult"] is not null);

        var payload = new JsonObject { ["toolCallId"] = approval.ToolCallId, ["approved"] = approved, ["comment"] = "decided" };
        Assert.Equal(SignalOutcome.Accepted, (await execution.SignalAsync(Signal("approval", payload))).Outcome);
        var done = await SucceededAsync(execution);

        var call = LlmEvents.Output(done, "agent")["toolCalls"]![0]!;
        Assert.Equal(approved, call["approval"]!["approved"]!.GetValue<bool>());
        if (approved)
        {
            Assert.Equal($"hello {marker}", Text(call["result"]));
        }
        else
        {
            Assert.Equal(("Rejected", "decided"), (call["result"]!["error"]!["type"]!.GetValue<string>(), call["result"]!["error"]!["message"]!.GetValue<string>()));
            Assert.Null(call["result"]!["content"]);
        }
    }

    [Fact]
    public async Task AServerThatFailsToStartFailsTheNodeWithToolUnavailableWhichIsRetriedAndLogsWhy()
    {
        var marker = NewId("m");
        var retry = new JsonObject { ["maxAttempts"] = 2, ["initialDelay"] = "100ms" };
        var execution = await StartAgentAsync($"use tool echo {marker}", retry, Mcp(McpApiFactory.Broken));

        var done = await FailedAsync(execution, "ToolUnavailable");

        Assert.Contains("MCP server 'broken' did not start", done.Error!.Message, StringComparison.Ordinal);
        var events = await EventsAsync(execution);
        var retrying = Assert.Single(events, e => e.Type == EventTypes.NodeRetrying);
        Assert.Contains("ToolUnavailable", retrying.DataJson!, StringComparison.Ordinal);
        Assert.Equal(2, events.Count(e => e.Type == EventTypes.NodeStarted));
        Assert.Empty(fixture.Simulator.RequestsWith(marker));
        Assert.Contains(fixture.Api.Logs.Lines, l => l.Contains("MCP server broken did not start", StringComparison.Ordinal) && l.Contains("refusing to start (--fail-at-start)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnknownToolOfAKnownServerFailsTheNodeNamingTheServersTools()
    {
        var marker = NewId("m");
        var retry = new JsonObject { ["maxAttempts"] = 3, ["initialDelay"] = "100ms" };
        var execution = await StartAgentAsync($"use tool nope {marker}", retry, Mcp(McpApiFactory.Files, "nope"));

        var done = await FailedAsync(execution, "McpToolNotFound");

        Assert.Contains("MCP server 'files' has no tool 'nope'", done.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("read_file", done.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await EventsAsync(execution), e => e.Type == EventTypes.NodeRetrying);
    }

    [Fact]
    public async Task AnHttpServerIsReachedThroughTheOutboundGuard()
    {
        var execution = await StartAgentAsync($"use tool echo {NewId("m")}", null, Mcp(McpApiFactory.Remote));

        var done = await FailedAsync(execution, "DestinationNotAllowed");

        Assert.Contains("127.0.0.2 is a loopback address", done.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServerIsStartedOnceAndReusedAcrossRuns()
    {
        await SucceededAsync(await StartAgentAsync($$"""use tool add args {"a":2,"b":3} {{NewId("m")}}""", null, Mcp(McpApiFactory.Files, "add")));
        var started = StartedLines(McpApiFactory.Files);

        var done = await SucceededAsync(await StartAgentAsync($$"""use tool add args {"a":20,"b":22} {{NewId("m")}}""", null, Mcp(McpApiFactory.Files, "add")));

        Assert.Equal("42", Text(LlmEvents.Output(done, "agent")["toolCalls"]![0]!["result"]));
        Assert.Equal(started, StartedLines(McpApiFactory.Files));
        Assert.True(started >= 1, "expected the files server to have been started");
    }

    [Fact]
    public async Task AServerThatEndedIsStartedAgainOnItsNextUse()
    {
        var ended = EndedLines(McpApiFactory.Files);
        await SucceededAsync(await StartAgentAsync($"use tool exit {NewId("m")}", null, Mcp(McpApiFactory.Files, "exit")));
        var started = StartedLines(McpApiFactory.Files);
        Assert.True(
            await Polling.UntilAsync(() => EndedLines(McpApiFactory.Files) > ended, Deadline, TimeSpan.FromMilliseconds(20)),
            $"expected the silo to log that the files server ended; saw {string.Join(" / ", fixture.Api.Logs.Lines.Where(l => l.Contains("MCP server files", StringComparison.Ordinal)))}");

        var done = await SucceededAsync(await StartAgentAsync($$"""use tool echo args {"message":"again"} {{NewId("m")}}""", null, Mcp(McpApiFactory.Files, "echo")));

        Assert.Equal("again", Text(LlmEvents.Output(done, "agent")["toolCalls"]![0]!["result"]));
        Assert.Equal(started + 1, StartedLines(McpApiFactory.Files));
    }

    [Theory]
    [InlineData(McpApiFactory.SecretVariable, "yes")]
    [InlineData(McpApiFactory.SiloOnlyVariable, "no")]
    [InlineData("PATH", "yes")]
    public async Task AStdioServerGetsItsOwnVariablesAndTheSafeSetNotTheSilosEnvironment(string variable, string expected)
    {
        var done = await SucceededAsync(await StartAgentAsync($$"""use tool has_env args {"name":"{{variable}}"} {{NewId("m")}}""", null, Mcp(McpApiFactory.Files, "has_env")));

        Assert.Equal(expected, Text(LlmEvents.Output(done, "agent")["toolCalls"]![0]!["result"]));
        Assert.DoesNotContain(fixture.Api.Logs.Lines, l => l.Contains(McpApiFactory.SecretValue, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDocumentedExampleRunsAgainstTheTestServer()
    {
        var definition = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Distributed.DistributedFixture.RepoRoot, "docs", "examples", "mcp-files-agent.json")))!.AsObject();
        var id = NewId("wf");
        definition["id"] = id;
        var published = await fixture.Client.PutJsonAsync($"/v1/workflows/{id}", definition.ToJsonString());
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());

        var done = await SucceededAsync(await _workflows.StartAsync(id, new JsonObject { ["question"] = NewId("q") }));

        var calls = LlmEvents.Output(done, "agent")["toolCalls"]!.AsArray();
        Assert.Equal(["list_files", "read_file"], calls.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("Remember the milk.", Text(calls[1]!["result"]));
    }

    [Fact]
    public async Task AnUnknownServerIsRefusedAtPublishWithAPointer()
    {
        var id = NewId("wf");
        var definition = new JsonObject
        {
            ["id"] = id,
            ["start"] = "agent",
            ["nodes"] = new JsonObject
            {
                ["agent"] = Node("agent", new JsonObject
                {
                    ["prompt"] = "hi",
                    ["tools"] = new JsonArray(Mcp("nowhere"), Mcp(McpApiFactory.Files, "read_file"), new JsonObject { ["mcp"] = new JsonObject { ["server"] = McpApiFactory.Files, ["extra"] = 1 } }),
                }),
            },
        };

        var response = await fixture.Client.PutJsonAsync($"/v1/workflows/{id}", definition.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(["/nodes/agent/with/tools/0/mcp/server", "/nodes/agent/with/tools/2/mcp/extra"], await ApiClient.ProblemPointersAsync(response));
        Assert.Contains("no MCP server 'nowhere' is configured", body, StringComparison.Ordinal);
        Assert.Contains("configured: broken, files, remote", body, StringComparison.Ordinal);
    }
}
