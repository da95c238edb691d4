using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// Collects the updates of one streamed answer and turns them into a <see cref="ChatTurn"/> the library's way
/// (<see cref="ChatResponseExtensions.ToChatResponse(IEnumerable{ChatResponseUpdate})"/>): text, tool calls, usage.
/// </summary>
internal sealed class StreamedAnswer(string? model)
{
    // The library's defaults indent; the journal and the next request keep arguments compact, as providers send them.
    private static readonly JsonSerializerOptions Compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private readonly List<ChatResponseUpdate> _updates = [];
    private int _textChunks;

    /// <summary>Whether an update said why the answer ended: a stream cut short never does.</summary>
    public bool Finished { get; private set; }

    /// <summary>Whether any update arrived: a failure after one cut the stream; before one, the call.</summary>
    public bool Started => _updates.Count > 0;

    /// <summary>Adds one update; returns its text, if any.</summary>
    public string Apply(ChatResponseUpdate update)
    {
        _updates.Add(update);
        Finished |= update.FinishReason is not null;
        var text = update.Text;
        if (text.Length > 0)
        {
            _textChunks++;
        }

        return text;
    }

    public ChatTurn ToTurn()
    {
        var response = _updates.ToChatResponse();
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()
            .Select((c, i) => new ToolCall(c.CallId is { Length: > 0 } id ? id : $"call_{i}", c.Name, Arguments(c)))
            .ToList();
        var usage = response.Usage is { } u
            ? new ChatUsage((int)(u.InputTokenCount ?? 0), (int)(u.OutputTokenCount ?? _textChunks))
            : new ChatUsage(0, _textChunks);
        return new ChatTurn(response.Text, calls, usage, response.ModelId ?? model ?? "");
    }

    // Arguments that were not a JSON object stay unparseable, so the agent answers the model InvalidArguments.
    private static string Arguments(FunctionCallContent call) =>
        call.Exception is null ? JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), Compact) : "(not a JSON object)";
}
