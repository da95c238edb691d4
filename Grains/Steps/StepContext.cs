using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Grains.Steps;

/// <summary>Everything one attempt of a step gets: its input, settings, the run's state and its means.</summary>
public sealed record StepContext
{
    public required string ExecutionId { get; init; }

    public required string NodeId { get; init; }

    /// <summary>The workflow the execution runs (for telemetry); empty where a step runs outside one.</summary>
    public string WorkflowId { get; init; } = "";

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

    /// <summary>The execution's model usage and budget (<see cref="IUsageLedger"/>); a step run inside another shares its node's. Default: records nothing.</summary>
    public IUsageLedger Usage { get; init; } = UsageLedgers.None;

    /// <summary>
    /// Whether this step may stop its attempt to wait for approvals (<see cref="AwaitApprovals"/>): true for the step of a
    /// node in an execution, false for a step run inside another (a map item, a tool) and outside an execution.
    /// </summary>
    public bool CanAwaitApprovals { get; init; }

    /// <summary>
    /// True when this run of the attempt goes on after a wait of its own (an approval decided): what it streamed before
    /// is still valid for readers, so a step replaying its journal does not stream those records again. False when it
    /// runs again after a lost activation, whose <c>node.started {"discardProgress": true}</c> told readers to drop it.
    /// </summary>
    public bool ContinuesAfterWait { get; init; }

    public required ILogger Logger { get; init; }

    public required IServiceProvider Services { get; init; }

    public required TimeProvider TimeProvider { get; init; }

    /// <summary>The execution's priority (a start option): its place in the line of a resource pool the step waits for. Default 0.</summary>
    public int Priority { get; init; }

    /// <summary>Appends a <c>node.progress</c> event (a token chunk, a percentage…); chunks are coalesced (docs/events.md#high-rate-progress).</summary>
    public required Func<JsonNode, ValueTask> EmitProgress { get; init; }

    public ValueTask EmitProgressAsync(JsonNode data) => EmitProgress(data);

    /// <summary>
    /// Stops the attempt until a person decides on each of <paramref name="approvals"/> (throw what this returns). The
    /// engine parks the run and, as each decision arrives, runs the attempt again with the decision in
    /// <see cref="Journal"/> under its request's key (<see cref="ApprovalDecision"/>): record what was done before
    /// asking, so the run that follows replays it. Fails the step when it cannot wait (<see cref="CanAwaitApprovals"/>).
    /// </summary>
    public ApprovalsPendingException AwaitApprovals(IReadOnlyList<ApprovalRequest> approvals) => CanAwaitApprovals
        ? new ApprovalsPendingException(approvals)
        : throw new StepException("ApprovalUnavailable", "a step run inside another step (a map item, a tool) cannot wait for approvals", retryable: false);

    /// <summary>
    /// Where in its node this step runs: empty for the node's own step; for a step run inside it (<see cref="ForChild"/>)
    /// the key suffixes joined by <c>/</c> (a map item's index, an agent's tool call). Part of a child execution's path.
    /// </summary>
    public string Path { get; init; } = "";

    /// <summary>
    /// Records that this attempt started a child execution: a <c>child.started</c> event in this execution's log, once
    /// per child in the attempt (a re-run of the attempt after a lost silo does not repeat it), durable when the task
    /// completes. Readers of the parent's events with its children discover the child from it. Default: records nothing.
    /// </summary>
    public Func<ChildStart, CancellationToken, Task> AnnounceChild { get; init; } = static (_, _) => Task.CompletedTask;

    /// <summary>A context for a step run inside this one (a map item): same execution, its own key and settings.</summary>
    public StepContext ForChild(string keySuffix, JsonObject settings, IReadOnlyDictionary<string, JsonTemplate> deferred, ExpressionScope scope) => this with
    {
        IdempotencyKey = $"{IdempotencyKey}:{keySuffix}",
        Path = Path.Length == 0 ? keySuffix : $"{Path}/{keySuffix}",
        Journal = StepJournals.Prefixed(Journal, keySuffix),
        CanAwaitApprovals = false,
        Settings = settings,
        DeferredSettings = deferred,
        // A step run inside another never references secrets (refused at publish): none of the parent's carry over.
        SecretSettings = NoTemplates,
        Scope = scope,
    };

    private static readonly IReadOnlyDictionary<string, JsonTemplate> NoTemplates = new Dictionary<string, JsonTemplate>();
}
