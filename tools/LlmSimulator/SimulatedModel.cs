namespace AgentOrleans.LlmSimulator;

/// <summary>
/// What a model name asks the simulator to do: <c>sim-fast</c> (5 ms a token), <c>sim-slow</c>
/// (150 ms a token), <c>sim-429</c> (the first request of a conversation answers 429 with
/// <c>Retry-After: 1</c>), <c>sim-drop</c> (the first request of a conversation is cut mid-stream), <c>sim-bad-json</c>
/// (asked for a JSON Schema answer, the first request of a conversation answers JSON that breaks it).
/// Any other name streams at 20 ms a token. The header <c>X-Sim-Token-Delay-Ms</c> overrides the delay.
/// </summary>
public sealed record SimulatedModel(TimeSpan TokenDelay, bool RateLimitFirst, bool DropFirst, bool BadJsonFirst = false)
{
    public static readonly string[] Names = ["sim-fast", "sim-slow", "sim-429", "sim-drop", "sim-bad-json"];

    public static SimulatedModel For(string? model, string? delayHeader)
    {
        var delay = model switch
        {
            "sim-slow" => TimeSpan.FromMilliseconds(150),
            "sim-fast" or "sim-429" or "sim-drop" or "sim-bad-json" => TimeSpan.FromMilliseconds(5),
            _ => TimeSpan.FromMilliseconds(20),
        };
        if (int.TryParse(delayHeader, out var ms) && ms >= 0)
        {
            delay = TimeSpan.FromMilliseconds(ms);
        }

        return new SimulatedModel(delay, model == "sim-429", model == "sim-drop", model == "sim-bad-json");
    }
}
