using System.Text.Json.Nodes;
using AgentOrleans.Grains.Mcp;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// A model in a loop with tools. Each turn streams one answer (tokens as <c>{"token"}</c> chunks);
/// when it calls tools, each call and its result are progress chunks (<c>{"toolCall"}</c>,
/// <c>{"toolResult"}</c>), the results go back to the model as <c>tool</c> messages and it is
/// called again, until it answers in words or <c>maxTurns</c> is reached (<c>AgentTurnLimit</c>).
/// A tool that fails is reported to the model as <c>{"error": {type, message}}</c>, so it can
/// recover; cancellation stops everything. Output: <c>{content, turns, toolCalls, usage, model}</c>.
/// Each model turn and each tool call is recorded in the attempt's journal once done: an attempt that runs again
/// after a lost silo replays them (their text and tool chunks streamed again at once) instead of repeating them.
/// A tool with <c>approval</c> does not run until a person decides: the calls of the turn that need none run, then the
/// attempt stops and the run waits (<see cref="StepContext.AwaitApprovals"/>); each decision runs the attempt again,
/// which replays its journal silently and runs (or reports as rejected) the decided calls, until the turn is whole.
/// </summary>
public sealed class AgentStep(ChatClient chat, IServiceProvider services) : IStep
{
    private const int DefaultMaxTurns = 8;
    private static readonly IReadOnlySet<string> Deferred = new HashSet<string> { "tools" };

    public IReadOnlySet<string> DeferredSettings => Deferred;

    public void ValidateSettings(JsonObject? settings, SettingsValidation validation)
    {
        SettingsReader.RejectUnknown(settings, validation, [.. LlmSettings.Names, "tools", "maxTurns"]);
        LlmSettings.Validate(settings, validation, services.GetRequiredService<ChatProviders>());
        AgentToolSettings.Validate(settings?["tools"], validation, services.GetService<McpServers>()?.Names ?? []);
        if (settings?["maxTurns"] is { } maxTurns && !SettingsReader.IsWholeNumber(maxTurns, 1, 100))
        {
            validation.Problem("/maxTurns", "must be a whole number from 1 to 100");
        }
    }

    public async Task<StepResult> ExecuteAsync(StepContext context)
    {
        var tools = await AgentTools.ResolveAsync(context, services);
        var request = LlmSettings.Request(context.Settings, new JsonArray(tools.Values.Select(t => (JsonNode)t.Definition()).ToArray()));
        var maxTurns = SettingsReader.ReadInt(context.Settings, "maxTurns") ?? DefaultMaxTurns;
        var usage = ChatUsage.Zero;
        var calls = new JsonArray();
        for (var turn = 1; turn <= maxTurns; turn++)
        {
            var answer = await TurnAsync(context, request, turn);
            usage = usage.Add(answer.Usage);
            if (answer.ToolCalls.Count == 0)
            {
                return new StepResult(new JsonObject
                {
                    ["content"] = answer.Content,
                    ["turns"] = turn,
                    ["toolCalls"] = calls,
                    ["usage"] = usage.ToJson(),
                    ["model"] = answer.Model,
                });
            }

            request.Messages.Add(new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = answer.Content.Length > 0 ? answer.Content : null,
                ["tool_calls"] = new JsonArray(answer.ToolCalls.Select(c => (JsonNode)c.ToMessagePart()).ToArray()),
            });
            var records = new JsonObject?[answer.ToolCalls.Count];
            var pending = new List<ApprovalRequest>();
            for (var index = 0; index < answer.ToolCalls.Count; index++)
            {
                records[index] = await CallAsync(context, tools, answer.ToolCalls[index], turn, index, pending);
            }

            // The calls of a turn that need no approval, or were decided, have run; the others wait, each for its own decision.
            if (pending.Count > 0)
            {
                throw context.AwaitApprovals(pending);
            }

            for (var index = 0; index < answer.ToolCalls.Count; index++)
            {
                calls.Add(records[index]);
                request.Messages.Add(new JsonObject
                {
                    ["role"] = "tool",
                    ["tool_call_id"] = answer.ToolCalls[index].Id,
                    ["content"] = records[index]!["result"]?.ToJsonString() ?? "null",
                });
            }
        }

        throw new StepException("AgentTurnLimit", $"the model gave no final answer within maxTurns ({maxTurns})", retryable: false);
    }

    private async Task<ChatTurn> TurnAsync(StepContext context, ChatRequest request, int turn)
    {
        var key = $"turn:{turn}";
        if (context.Journal.TryGet(key, out var recorded) && recorded is JsonObject done)
        {
            var replayed = ChatTurn.FromJson(done);
            if (replayed.Content.Length > 0 && !context.ContinuesAfterWait)
            {
                await context.EmitProgressAsync(new JsonObject { ["token"] = replayed.Content });
            }

            return replayed;
        }

        var answer = await chat.CompleteAsync(
            request,
            token => context.EmitProgressAsync(new JsonObject { ["token"] = token }),
            ChatCaller.Of(context, call: turn),
            context.CancellationToken);
        await context.Journal.RecordAsync(key, answer.ToJson(), context.CancellationToken);
        return answer;
    }

    /// <summary>
    /// One tool call: replayed from the journal, run, or — when its tool needs an approval not yet decided — added to
    /// <paramref name="pending"/> (null returned). A decided one runs with the approved arguments, or answers the model
    /// that it was rejected or that nobody decided in time.
    /// </summary>
    private async Task<JsonObject?> CallAsync(StepContext context, Dictionary<string, AgentTool> tools, ToolCall call, int turn, int index, List<ApprovalRequest> pending)
    {
        var key = $"tool:{turn}:{index}";
        if (context.Journal.TryGet(key, out var recorded) && recorded is JsonObject done)
        {
            if (!context.ContinuesAfterWait)
            {
                await context.EmitProgressAsync(new JsonObject { ["toolCall"] = Chunk(done, "arguments") });
                await context.EmitProgressAsync(new JsonObject { ["toolResult"] = Chunk(done, "result") });
            }

            return done;
        }

        var arguments = AgentTool.ParseArguments(call.Arguments);
        var tool = tools.GetValueOrDefault(call.Name);
        ApprovalDecision? decision = null;
        if (tool is { NeedsApproval: true } && arguments is not null)
        {
            var approvalKey = $"approval:{turn}:{index}";
            if (!context.Journal.TryGet(approvalKey, out var decided) || decided is not JsonObject decisionJson)
            {
                pending.Add(new ApprovalRequest(approvalKey, call.Id, call.Name, arguments, tool.ApprovalTimeout));
                return null;
            }

            decision = ApprovalDecision.FromJson(decisionJson);
        }

        var record = await RunToolAsync(context, tools, call, arguments, decision, turn, index);
        await context.Journal.RecordAsync(key, record, context.CancellationToken);
        return record;
    }

    /// <summary>A replayed call's <c>toolCall</c> or <c>toolResult</c> chunk, as the first run streamed it: the call and its <paramref name="part"/>.</summary>
    private static JsonObject Chunk(JsonObject record, string part) => new()
    {
        ["turn"] = record["turn"]?.DeepClone(),
        ["id"] = record["id"]?.DeepClone(),
        ["name"] = record["name"]?.DeepClone(),
        [part] = record[part]?.DeepClone(),
    };

    private async Task<JsonObject> RunToolAsync(
        StepContext context, Dictionary<string, AgentTool> tools, ToolCall call, JsonObject? arguments, ApprovalDecision? decision, int turn, int index)
    {
        // An approval may edit the arguments: the tool runs with those, and the record keeps what the model asked for too.
        var used = decision is { Approved: true, Arguments: { } edited } ? edited : arguments;
        await context.EmitProgressAsync(new JsonObject
        {
            ["toolCall"] = new JsonObject { ["turn"] = turn, ["id"] = call.Id, ["name"] = call.Name, ["arguments"] = used?.DeepClone() ?? JsonValue.Create(call.Arguments) },
        });
        JsonNode? result;
        if (!tools.TryGetValue(call.Name, out var tool))
        {
            result = Error("UnknownTool", $"there is no tool named '{call.Name}'; tools: {string.Join(", ", tools.Keys)}");
        }
        else if (used is null)
        {
            result = Error("InvalidArguments", "the arguments are not a JSON object");
        }
        else if (decision is { TimedOut: true })
        {
            result = Error("ApprovalTimedOut", $"nobody approved the call within {tool.ApprovalTimeout}; it did not run");
        }
        else if (decision is { Approved: false })
        {
            result = Error("Rejected", decision.Comment ?? "the call was not approved; it did not run");
        }
        else
        {
            try
            {
                result = await tool.RunAsync(context, services, used, $"tool:{turn}:{index}");
            }
            // A tool that cannot be reached at all fails the attempt instead: the retry policy, not the model, can fix that.
            catch (StepException ex) when (ex is not ToolUnavailableException && !context.CancellationToken.IsCancellationRequested)
            {
                result = Error(ex.ErrorType, ex.Message);
            }
        }

        await context.EmitProgressAsync(new JsonObject
        {
            ["toolResult"] = new JsonObject { ["turn"] = turn, ["id"] = call.Id, ["name"] = call.Name, ["result"] = result?.DeepClone() },
        });
        var record = new JsonObject { ["turn"] = turn, ["id"] = call.Id, ["name"] = call.Name, ["arguments"] = used?.DeepClone(), ["result"] = result };
        if (decision is not null)
        {
            var approval = decision.ToJson();
            approval.Remove("arguments");
            record["approval"] = approval;
            if (!ReferenceEquals(used, arguments))
            {
                record["modelArguments"] = arguments?.DeepClone();
            }
        }

        return record;
    }

    private static JsonObject Error(string type, string message) => new() { ["error"] = new JsonObject { ["type"] = type, ["message"] = message } };
}
