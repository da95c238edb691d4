using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Grains.Steps;

/// <summary>Everything one attempt of a step gets: its input, settings, the run's state and its means.</summary>
public sealed record StepContext
{
    public required string ExecutionId { get; init; }

    public required string NodeId { get; init; }

    /// <summary>1 for the first attempt of this visit of the node.</summary>
    public required int Attempt { get; init; }

    /// <summary>
    /// Stable across re-runs of the same attempt (after a silo is lost), different for every
    /// attempt: <c>{executionId}:{nodeId}:{attempt}</c>, with <c>.{visit}</c> after the node id
    /// from a node's second visit on (loops). Use it to make calls out idempotent.
    /// </summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>
    /// When this attempt started, not counting time spent waiting for resource pools (its <c>needs</c>);
    /// unchanged when the attempt is resumed after a restart. The node's timeout counts from here.
    /// </summary>
    public required DateTimeOffset AttemptStartedAt { get; init; }

    /// <summary>The node's <c>with</c> settings with their expressions evaluated (deferred settings left out).</summary>
    public required JsonObject Settings { get; init; }

    /// <summary>The compiled templates of settings the step renders itself (see <see cref="IStep.DeferredSettings"/>).</summary>
    public required IReadOnlyDictionary<string, JsonTemplate> DeferredSettings { get; init; }

    /// <summary>
    /// The compiled templates of the settings that reference secrets (see <see cref="IStep.SecretSettings"/>), for the
    /// step to render with their values (<see cref="JsonTemplate.Render(ExpressionScope, Secrets.SecretValues)"/>) as it
    /// sends them; <see cref="Settings"/> holds the same settings with the placeholders in. Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, JsonTemplate> SecretSettings { get; init; } = NoTemplates;

    /// <summary>The execution's input.</summary>
    public required JsonNode? Input { get; init; }

    /// <summary>A copy of the run's state when the attempt started.</summary>
    public required JsonObject State { get; init; }

    /// <summary>The names expressions see for this attempt.</summary>
    public required ExpressionScope Scope { get; init; }

    /// <summary>Cancelled when the execution is cancelled or times out, or the node's timeout passes.</summary>
    public required CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Cancelled (with <see cref="CancellationToken"/>) when this activation leaves its silo, a rolling deploy or a moved
    /// grain: the run goes on elsewhere and this attempt runs again there, so work that outlives the step, such as
    /// a child execution, must not be stopped for it. Default: never cancelled.
    /// </summary>
    public CancellationToken ShutdownToken { get; init; }

    /// <summary>What this attempt has already done, durable across a lost silo; see <see cref="IStepJournal"/>. Default: remembers nothing.</summary>
    public IStepJournal Journal { get; init; } = StepJournals.None;

    public required ILogger Logger { get; init; }

    public required IServiceProvider Services { get; init; }

    public required TimeProvider TimeProvider { get; init; }

    /// <summary>The execution's priority (a start option): its place in the line of a resource pool the step waits for. Default 0.</summary>
    public int Priority { get; init; }

    /// <summary>Appends a <c>node.progress</c> event (a token chunk, a percentage…); chunks are coalesced (docs/events.md#high-rate-progress).</summary>
    public required Func<JsonNode, ValueTask> EmitProgress { get; init; }

    public ValueTask EmitProgressAsync(JsonNode data) => EmitProgress(data);

    /// <summary>A context for a step run inside this one (a map item): same execution, its own key and settings.</summary>
    public StepContext ForChild(string keySuffix, JsonObject settings, IReadOnlyDictionary<string, JsonTemplate> deferred, ExpressionScope scope) => this with
    {
        IdempotencyKey = $"{IdempotencyKey}:{keySuffix}",
        Journal = StepJournals.Prefixed(Journal, keySuffix),
        Settings = settings,
        DeferredSettings = deferred,
        // A step run inside another never references secrets (refused at publish): none of the parent's carry over.
        SecretSettings = NoTemplates,
        Scope = scope,
    };

    private static readonly IReadOnlyDictionary<string, JsonTemplate> NoTemplates = new Dictionary<string, JsonTemplate>();
}
