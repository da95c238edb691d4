namespace AgentOrleans.Grains.Placement;

/// <summary>
/// This silo's view of every silo's active executions: the last reports, plus the executions this
/// silo has placed on each since. Counting its own placements is what spreads a burst: without it,
/// every start within one refresh interval would go to the same silo that looked emptiest.
/// </summary>
public sealed class ExecutionLoadTable
{
    private readonly Lock _lock = new();
    private Dictionary<SiloAddress, int> _reported = [];
    private readonly Dictionary<SiloAddress, int> _placedSince = [];

    /// <summary>Active executions per silo as last reported (without this silo's placements since).</summary>
    public IReadOnlyDictionary<SiloAddress, int> Reported
    {
        get
        {
            lock (_lock)
            {
                return _reported;
            }
        }
    }

    public void Update(Dictionary<SiloAddress, int> reported)
    {
        lock (_lock)
        {
            _reported = reported;
            _placedSince.Clear();
        }
    }

    /// <summary>
    /// The least loaded of <paramref name="silos"/>, counted as placed there. A silo without a report
    /// yet (it just joined) counts as empty, so a new silo takes load at once.
    /// </summary>
    public SiloAddress Pick(SiloAddress[] silos)
    {
        lock (_lock)
        {
            var loads = silos.Select(s => (Silo: s, Load: _reported.GetValueOrDefault(s) + _placedSince.GetValueOrDefault(s))).ToList();
            var least = loads.Min(l => l.Load);
            var candidates = loads.Where(l => l.Load == least).ToList();
            var pick = candidates[Random.Shared.Next(candidates.Count)].Silo;
            _placedSince[pick] = _placedSince.GetValueOrDefault(pick) + 1;
            return pick;
        }
    }
}
