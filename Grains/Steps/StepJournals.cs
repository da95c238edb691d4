using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Steps;

/// <summary>Journals that are not the engine's: none at all, and one step's keys kept apart inside another's.</summary>
public static class StepJournals
{
    /// <summary>Remembers nothing: for steps run outside an execution (tests, tools).</summary>
    public static IStepJournal None { get; } = new NoJournal();

    /// <summary>The journal of <paramref name="inner"/> with every key under <paramref name="prefix"/>: a child step (a map item, a tool) keeps its own records.</summary>
    public static IStepJournal Prefixed(IStepJournal inner, string prefix) => inner is NoJournal ? inner : new PrefixedJournal(inner, prefix);

    private sealed class NoJournal : IStepJournal
    {
        public bool TryGet(string key, out JsonNode? value)
        {
            value = null;
            return false;
        }

        public Task RecordAsync(string key, JsonNode? value, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class PrefixedJournal(IStepJournal inner, string prefix) : IStepJournal
    {
        public bool TryGet(string key, out JsonNode? value) => inner.TryGet($"{prefix}/{key}", out value);

        public Task RecordAsync(string key, JsonNode? value, CancellationToken cancellationToken) => inner.RecordAsync($"{prefix}/{key}", value, cancellationToken);
    }
}
