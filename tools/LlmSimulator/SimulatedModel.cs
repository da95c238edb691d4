using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentOrleans.LlmSimulator;

/// <summary>
/// What a model name asks the simulator to do: <c>sim-fast</c> (5 ms a token), <c>sim-slow</c>
/// (150 ms a token), <c>sim-429</c> (the first request of a conversation answers 429 with
/// <c>Retry-After: 1</c>), <c>sim-drop</c> (the first request of a conversation is cut mid-stream), <c>sim-bad-json</c>
/// (asked for a JSON Schema answer, the first request of a conversation answers JSON that breaks it).
/// <c>sim-loop</c> (with tools offered, calls the first tool in every turn and never answers: a runaway agent loop).
/// Any other name streams at 20 ms a token. The header <c>X-Sim-Token-Delay-Ms</c> overrides the delay.
/// <c>sim-stream-N-Dms</c> (for the agent benchmark) streams exactly N tokens every turn, one per D ms, tool-calling
/// turns too (before their calls), each token the time it was emitted: <c>@</c> and Unix microseconds, then a space,
/// so a client can tell each token's delivery latency and count tokens lost or duplicated.
/// </summary>
public sealed partial record SimulatedModel(TimeSpan TokenDelay, bool RateLimitFirst, bool DropFirst, int? StampedTokens = null, bool LoopsTools = false, bool BadJsonFirst = false)
{
    public static readonly string[] Names = ["sim-fast", "sim-slow", "sim-429", "sim-drop", "sim-loop", "sim-bad-json"];

    public static SimulatedModel For(string? model, string? delayHeader)
    {
        if (StreamName().Match(model ?? "") is { Success: true } stream)
        {
            return new SimulatedModel(TimeSpan.FromMilliseconds(int.Parse(stream.Groups["ms"].ValueSpan, CultureInfo.InvariantCulture)), false, false, int.Parse(stream.Groups["tokens"].ValueSpan, CultureInfo.InvariantCulture));
        }

        var delay = model switch
        {
            "sim-slow" => TimeSpan.FromMilliseconds(150),
            "sim-fast" or "sim-429" or "sim-drop" or "sim-loop" or "sim-bad-json" => TimeSpan.FromMilliseconds(5),
            _ => TimeSpan.FromMilliseconds(20),
        };
        if (int.TryParse(delayHeader, out var ms) && ms >= 0)
        {
            delay = TimeSpan.FromMilliseconds(ms);
        }

        return new SimulatedModel(delay, model == "sim-429", model == "sim-drop", LoopsTools: model == "sim-loop", BadJsonFirst: model == "sim-bad-json");
    }

    /// <summary>The token a <c>sim-stream-N-Dms</c> model emits at <paramref name="now"/>.</summary>
    public static string Stamp(DateTimeOffset now) => $"@{(now - DateTimeOffset.UnixEpoch).Ticks / 10} ";

    [GeneratedRegex(@"^sim-stream-(?<tokens>[0-9]{1,6})-(?<ms>[0-9]{1,5})ms$")]
    private static partial Regex StreamName();
}
