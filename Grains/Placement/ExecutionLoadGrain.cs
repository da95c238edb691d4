using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace AgentOrleans.Grains.Placement;

/// <summary>
/// Soft state: lost with its silo and rebuilt within one report interval, so nothing is persisted.
/// A silo that stops reporting (it died) drops out after three intervals; placement only ever
/// considers silos Orleans says are active anyway.
/// </summary>
[Reentrant]
internal sealed class ExecutionLoadGrain(IOptions<ExecutionLoadOptions> options, TimeProvider time) : Grain, IExecutionLoadGrain
{
    private readonly Dictionary<SiloAddress, (int Active, DateTimeOffset At)> _reports = [];

    public Task<Dictionary<SiloAddress, int>> ReportAsync(SiloAddress silo, int activeExecutions)
    {
        _reports[silo] = (activeExecutions, time.GetUtcNow());
        return GetAsync();
    }

    public Task<Dictionary<SiloAddress, int>> GetAsync()
    {
        var now = time.GetUtcNow();
        foreach (var stale in _reports.Where(r => r.Value.At < now - (3 * options.Value.RefreshInterval)).Select(r => r.Key).ToList())
        {
            _reports.Remove(stale);
        }

        return Task.FromResult(_reports.ToDictionary(r => r.Key, r => r.Value.Active));
    }
}
