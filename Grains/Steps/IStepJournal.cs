using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Steps;

/// <summary>
/// What an attempt has already done, kept in the execution's durable state: a step that records each costly
/// piece of work (a model turn, a tool call) finds it again when the same attempt runs again after its silo was
/// lost, and does not repeat it. A new attempt (a retry) or the next node starts with an empty journal.
/// </summary>
public interface IStepJournal
{
    /// <summary>What was recorded under <paramref name="key"/> in this attempt, if anything.</summary>
    bool TryGet(string key, out JsonNode? value);

    /// <summary>Records <paramref name="value"/> under <paramref name="key"/>; returns once it is durable (checkpointed with the progress emitted before it).</summary>
    Task RecordAsync(string key, JsonNode? value, CancellationToken cancellationToken);
}
