using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Steps;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>
/// Step types whose behaviour tests control and observe. The cluster runs in this process, so
/// the static probes are shared between silos and tests.
/// </summary>
public static class TestSteps
{
    /// <summary>How many times each idempotency key ran.</summary>
    public static readonly ConcurrentDictionary<string, int> Runs = new();

    /// <summary>Set when a step with that execution id (and node id) starts running: <c>{executionId}/{nodeId}</c>.</summary>
    public static readonly ConcurrentDictionary<string, TaskCompletionSource> Started = new();

    /// <summary>Set when a cancellable block step saw its token cancelled.</summary>
    public static readonly ConcurrentDictionary<string, TaskCompletionSource> SawCancellation = new();

    public static TaskCompletionSource StartedSignal(string executionId, string nodeId) =>
        Started.GetOrAdd($"{executionId}/{nodeId}", _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public static TaskCompletionSource CancellationSignal(string executionId, string nodeId) =>
        SawCancellation.GetOrAdd($"{executionId}/{nodeId}", _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public static int RunCount(string idempotencyKey) => Runs.GetValueOrDefault(idempotencyKey);

    public static int RunCountFor(string executionId, string nodeId) =>
        Runs.Where(r => r.Key.StartsWith($"{executionId}:{nodeId}:", StringComparison.Ordinal)).Sum(r => r.Value);

    public static IServiceCollection AddTestSteps(this IServiceCollection services) => services
        .AddStep<CountStep>("test.count")
        .AddStep<BlockStep>("test.block")
        .AddStep<StubbornStep>("test.stubborn")
        .AddStep<FlakyStep>("test.flaky")
        .AddStep<ProgressStep>("test.progress")
        .AddStep<ConcurrencyStep>("test.concurrency")
        .AddStep<ProbeStep>("test.probe")
        .AddStep<ApproveStep>("test.approve");

    private static void Record(StepContext context)
    {
        Runs.AddOrUpdate(context.IdempotencyKey, 1, (_, n) => n + 1);
        StartedSignal(context.ExecutionId, context.NodeId).TrySetResult();
    }

    /// <summary>Counts its runs and returns <c>{ran: key}</c>.</summary>
    private sealed class CountStep : IStep
    {
        public Task<StepResult> ExecuteAsync(StepContext context)
        {
            Record(context);
            return Task.FromResult(new StepResult(new JsonObject { ["ran"] = context.IdempotencyKey }));
        }
    }

    /// <summary>Runs until its token is cancelled (honouring it), or until <c>with.ms</c> passes when given.</summary>
    private sealed class BlockStep : IStep
    {
        public async Task<StepResult> ExecuteAsync(StepContext context)
        {
            Record(context);
            using var _ = context.CancellationToken.Register(() => CancellationSignal(context.ExecutionId, context.NodeId).TrySetResult());
            var ms = SettingsReader.ReadInt(context.Settings, "ms");
            await Task.Delay(ms is { } wait ? TimeSpan.FromMilliseconds(wait) : Timeout.InfiniteTimeSpan, context.CancellationToken);
            return new StepResult(new JsonObject { ["waited"] = ms });
        }
    }

    /// <summary>Ignores cancellation: waits a minute whatever happens.</summary>
    private sealed class StubbornStep : IStep
    {
        public async Task<StepResult> ExecuteAsync(StepContext context)
        {
            Record(context);
            await Task.Delay(TimeSpan.FromMinutes(1), CancellationToken.None);
            return StepResult.Empty;
        }
    }

    /// <summary>Fails its first <c>with.failures</c> attempts with error type <c>with.error</c>, then succeeds.</summary>
    private sealed class FlakyStep : IStep
    {
        public Task<StepResult> ExecuteAsync(StepContext context)
        {
            Record(context);
            var failures = SettingsReader.ReadInt(context.Settings, "failures") ?? 0;
            if (context.Attempt <= failures)
            {
                throw new StepException(SettingsReader.ReadString(context.Settings, "error") ?? "Flaky", $"attempt {context.Attempt} fails on purpose");
            }

            return Task.FromResult(new StepResult(new JsonObject { ["attempt"] = context.Attempt }));
        }
    }

    /// <summary>Emits <c>with.chunks</c> progress chunks as fast as it can: <c>{i: n}</c>, padded with <c>with.pad</c> characters.</summary>
    private sealed class ProgressStep : IStep
    {
        public async Task<StepResult> ExecuteAsync(StepContext context)
        {
            Record(context);
            var count = SettingsReader.ReadInt(context.Settings, "chunks") ?? 0;
            var pad = new string('x', SettingsReader.ReadInt(context.Settings, "pad") ?? 0);
            for (var i = 0; i < count; i++)
            {
                await context.EmitProgressAsync(pad.Length == 0 ? new JsonObject { ["i"] = i } : new JsonObject { ["i"] = i, ["pad"] = pad });
            }

            return new StepResult(new JsonObject { ["emitted"] = count });
        }
    }

    /// <summary>Records the highest number of its instances running at once per execution (for map's bound).</summary>
    private sealed class ConcurrencyStep : IStep
    {
        public static readonly ConcurrentDictionary<string, (int Current, int Max)> Levels = new();

        public async Task<StepResult> ExecuteAsync(StepContext context)
        {
            Levels.AddOrUpdate(context.ExecutionId, (1, 1), (_, l) => (l.Current + 1, Math.Max(l.Max, l.Current + 1)));
            await Task.Delay(TimeSpan.FromMilliseconds(30), context.CancellationToken);
            Levels.AddOrUpdate(context.ExecutionId, (0, 1), (_, l) => (l.Current - 1, l.Max));
            return new StepResult(context.Settings["value"]?.DeepClone());
        }
    }

    /// <summary>Records the highest number of its instances running at once per <c>with.probe</c>, across executions and silos; runs <c>with.ms</c>.</summary>
    private sealed class ProbeStep : IStep
    {
        public static readonly ConcurrentDictionary<string, (int Current, int Max)> Levels = new();

        public async Task<StepResult> ExecuteAsync(StepContext context)
        {
            var probe = SettingsReader.ReadString(context.Settings, "probe")!;
            Levels.AddOrUpdate(probe, (1, 1), (_, l) => (l.Current + 1, Math.Max(l.Max, l.Current + 1)));
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(SettingsReader.ReadInt(context.Settings, "ms") ?? 30), context.CancellationToken);
            }
            finally
            {
                Levels.AddOrUpdate(probe, (0, 1), (_, l) => (l.Current - 1, l.Max));
            }

            return StepResult.Empty;
        }
    }

    /// <summary>
    /// Asks approval of <c>with.calls</c> (1) made-up tool calls <c>call-{i}</c> of a tool <c>fake</c>, arguments
    /// <c>{"i": i}</c>, as an agent would, with no model; returns <c>{decisions: [...]}</c> once each is decided.
    /// </summary>
    private sealed class ApproveStep : IStep
    {
        public Task<StepResult> ExecuteAsync(StepContext context)
        {
            Record(context);
            var decisions = new JsonArray();
            var pending = new List<ApprovalRequest>();
            for (var i = 0; i < (SettingsReader.ReadInt(context.Settings, "calls") ?? 1); i++)
            {
                if (context.Journal.TryGet($"approval:{i}", out var decision))
                {
                    decisions.Add(decision);
                }
                else
                {
                    pending.Add(new ApprovalRequest($"approval:{i}", $"call-{i}", "fake", new JsonObject { ["i"] = i }, null));
                }
            }

            return pending.Count > 0 ? throw context.AwaitApprovals(pending) : Task.FromResult(new StepResult(new JsonObject { ["decisions"] = decisions }));
        }
    }

    public static int MaxProbe(string probe) => ProbeStep.Levels.GetValueOrDefault(probe).Max;

    public static int MaxConcurrency(string executionId) => ConcurrencyStep.Levels.GetValueOrDefault(executionId).Max;
}
