using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Pools;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Telemetry;

/// <summary>
/// The <c>AgentOrleans</c> meter and every instrument on it; one per host (silo, Api or both).
/// Exported by OpenTelemetry (Prometheus text at <c>/metrics</c>, OTLP when configured).
/// </summary>
public sealed class AgentOrleansMetrics
{
    public const string MeterName = "AgentOrleans";

    private readonly Counter<long> _started;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _cancelled;
    private readonly Histogram<double> _nodeDuration;
    private readonly Counter<long> _nodeRetries;
    private readonly Histogram<double> _deliveryLag;
    private readonly Histogram<double> _poolWait;
    private readonly ConcurrentDictionary<string, long> _poolInUse = new();

    // Executions active in this silo's memory, by id: the running/queued gauges are counted from
    // it, so an activation that moves to another silo cannot leave a counter drifting.
    private readonly ConcurrentDictionary<string, (string Workflow, ExecutionStatus Status)> _active = new();
    private readonly ConcurrentDictionary<string, int> _breakers = new();

    // Workflows seen here are reported at zero too: OpenTelemetry keeps exporting a gauge's last
    // value for a tag set that stops being reported.
    private readonly ConcurrentDictionary<string, bool> _workflows = new();

    // Bucket boundaries in seconds. Without them OpenTelemetry uses its defaults (0, 5, 10, 25 … 10,000),
    // made for milliseconds: every event delivery and most node attempts would fall in the first bucket.
    private static readonly InstrumentAdvice<double> LatencyBuckets = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private static readonly InstrumentAdvice<double> DurationBuckets = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    };

    public AgentOrleansMetrics(IMeterFactory meters, CompiledWorkflowCache? cache = null, IOptions<PoolOptions>? pools = null)
    {
        Meter = meters.Create(MeterName);
        _started = Meter.CreateCounter<long>("agentorleans.executions.started", "{execution}", "Executions accepted");
        _completed = Meter.CreateCounter<long>("agentorleans.executions.completed", "{execution}", "Executions that succeeded");
        _failed = Meter.CreateCounter<long>("agentorleans.executions.failed", "{execution}", "Executions that failed or timed out (tag status)");
        _cancelled = Meter.CreateCounter<long>("agentorleans.executions.cancelled", "{execution}", "Executions cancelled");
        Meter.CreateObservableUpDownCounter("agentorleans.executions.running", () => Active(ExecutionStatus.Running), "{execution}", "Executions running on this silo");
        Meter.CreateObservableUpDownCounter("agentorleans.executions.queued", () => Active(ExecutionStatus.Queued), "{execution}", "Executions on this silo waiting for resource pool permits");
        _nodeDuration = Meter.CreateHistogram("agentorleans.node.duration", "s", "Duration of one node attempt (tags workflow, node, outcome)", tags: null, advice: DurationBuckets);
        _nodeRetries = Meter.CreateCounter<long>("agentorleans.node.retries", "{retry}", "Node attempts that failed and were scheduled to retry");
        _deliveryLag = Meter.CreateHistogram<double>("agentorleans.events.delivery_lag", "s", "Time from an event's 'at' to its write to an SSE client", tags: null, advice: LatencyBuckets);
        Meter.CreateObservableCounter<long>("agentorleans.compile_cache.hits", () => cache is null ? [] : [new Measurement<long>(cache.Hits)], "{lookup}", "Compiled-workflow cache hits on this silo");
        Meter.CreateObservableCounter<long>("agentorleans.compile_cache.misses", () => cache is null ? [] : [new Measurement<long>(cache.Misses)], "{lookup}", "Compiled-workflow cache misses on this silo");
        _poolWait = Meter.CreateHistogram("agentorleans.pool.wait", "s", "Time a node waited for resource pool permits (tag pool)", tags: null, advice: DurationBuckets);
        Meter.CreateObservableUpDownCounter("agentorleans.pool.in_use", () => _poolInUse.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("pool", p.Key))), "{permit}", "Pool permits held by nodes and model calls running on this silo");
        Meter.CreateObservableGauge("agentorleans.pool.capacity", () => Capacities(pools?.Value), "{permit}", "Configured permits per pool (scope silo: each silo's own; cluster: shared); utilisation is in_use / capacity");
        Meter.CreateObservableGauge("agentorleans.http.breaker_state", BreakerStates, "{state}", "Circuit breaker of the http step per authority: 0 closed, 1 half-open, 2 open");
    }

    public Meter Meter { get; }

    /// <summary>Breaker states as exported: 0 closed, 1 half-open, 2 open.</summary>
    public IReadOnlyDictionary<string, int> Breakers => _breakers;

    public void ExecutionStarted(string executionId, string workflow)
    {
        _started.Add(1, new KeyValuePair<string, object?>("workflow", workflow));
        Track(executionId, workflow, ExecutionStatus.Running);
    }

    public void Track(string executionId, string workflow, ExecutionStatus status)
    {
        if (status.IsTerminal())
        {
            _active.TryRemove(executionId, out _);
        }
        else
        {
            _workflows.TryAdd(workflow, true);
            _active[executionId] = (workflow, status);
        }
    }

    public void Untrack(string executionId) => _active.TryRemove(executionId, out _);

    /// <summary>Executions queued or running in this silo's memory: the load execution placement balances.</summary>
    public int ActiveExecutions => _active.Count;

    public void ExecutionFinished(string executionId, string workflow, ExecutionStatus status)
    {
        Untrack(executionId);
        var tag = new KeyValuePair<string, object?>("workflow", workflow);
        switch (status)
        {
            case ExecutionStatus.Succeeded:
                _completed.Add(1, tag);
                break;
            case ExecutionStatus.Cancelled:
                _cancelled.Add(1, tag);
                break;
            default:
                _failed.Add(1, tag, new KeyValuePair<string, object?>("status", status.ToWireName()));
                break;
        }
    }

    public void NodeAttemptEnded(string workflow, string node, string outcome, TimeSpan duration) =>
        _nodeDuration.Record(duration.TotalSeconds, new TagList { { "workflow", workflow }, { "node", node }, { "outcome", outcome } });

    public void NodeRetrying(string workflow, string node) =>
        _nodeRetries.Add(1, new KeyValuePair<string, object?>("workflow", workflow), new KeyValuePair<string, object?>("node", node));

    public void EventDelivered(string type, TimeSpan lag) =>
        _deliveryLag.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>("type", type));

    public void PoolAcquired(string pool, int count, TimeSpan waited)
    {
        _poolWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("pool", pool));
        _poolInUse.AddOrUpdate(pool, count, (_, n) => n + count);
    }

    public void PoolReleased(string pool, int count) => _poolInUse.AddOrUpdate(pool, 0, (_, n) => n - count);

    public void BreakerChanged(string authority, BreakerState state) => _breakers[authority] = (int)state;

    /// <summary>An authority the http step calls: its breaker is reported (closed) before it ever moves.</summary>
    public void BreakerSeen(string authority) => _breakers.TryAdd(authority, (int)BreakerState.Closed);

    private IEnumerable<Measurement<long>> Active(ExecutionStatus status)
    {
        var counts = _active.Values.Where(a => a.Status == status).CountBy(a => a.Workflow).ToDictionary();
        return _workflows.Keys.Select(w => new Measurement<long>(counts.GetValueOrDefault(w), new KeyValuePair<string, object?>("workflow", w)));
    }

    private static IEnumerable<Measurement<long>> Capacities(PoolOptions? pools) => pools is null ? [] :
        pools.PerSilo.Select(p => Capacity(p.Key, p.Value, "silo")).Concat(pools.Cluster.Select(p => Capacity(p.Key, p.Value, "cluster")));

    private static Measurement<long> Capacity(string pool, int capacity, string scope) =>
        new(capacity, new KeyValuePair<string, object?>("pool", pool), new KeyValuePair<string, object?>("scope", scope));

    private IEnumerable<Measurement<int>> BreakerStates() =>
        _breakers.Select(b => new Measurement<int>(b.Value, new KeyValuePair<string, object?>("authority", b.Key)));
}

/// <summary>A circuit breaker's state as the <c>agentorleans.http.breaker_state</c> gauge reports it.</summary>
public enum BreakerState
{
    Closed = 0,
    HalfOpen = 1,
    Open = 2,
}
