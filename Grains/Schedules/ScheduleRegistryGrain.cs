using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Tenants;

namespace AgentOrleans.Grains.Schedules;

/// <summary>The schedules' grain keys (their ids scoped by their tenants), sorted (ordinal), for <c>GET /v1/schedules</c> page by page.</summary>
[GenerateSerializer, Alias("AgentOrleans.ScheduleRegistryState")]
public sealed class ScheduleRegistryState
{
    [Id(0)] public List<string> Ids { get; set; } = [];
}

/// <summary>
/// One grain for the cluster holds every schedule id. Schedules are defined by people and services, not per run: a
/// sorted list of thousands of ids is one small state, pages are read from memory, and a put or delete is one write.
/// A listed id whose schedule is gone is dropped when the list meets it.
/// </summary>
internal sealed class ScheduleRegistryGrain(
    [PersistentState("schedules", StorageNames.Grains)] IPersistentState<ScheduleRegistryState> state) : Grain, IScheduleRegistryGrain
{
    private List<string> Ids => state.State.Ids;

    public async Task AddAsync(string scheduleId)
    {
        var index = Ids.BinarySearch(scheduleId, StringComparer.Ordinal);
        if (index < 0)
        {
            Ids.Insert(~index, scheduleId);
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string scheduleId)
    {
        var index = Ids.BinarySearch(scheduleId, StringComparer.Ordinal);
        if (index >= 0)
        {
            Ids.RemoveAt(index);
            await state.WriteStateAsync();
        }
    }

    public Task<SchedulePage> ListAsync(string tenant, string? after, int limit)
    {
        // One tenant's keys, in the order of its ids: "{tenant}/" is a common prefix, and the default tenant's keys are its ids.
        var own = Ids.Where(key => TenantKey.TenantOf(key) == tenant).ToList();
        var start = after is null ? 0 : own.FindIndex(key => string.CompareOrdinal(TenantKey.Parse(key).Id, after) > 0);
        start = start < 0 ? own.Count : start;
        var count = Math.Min(Math.Max(limit, 1), own.Count - start);
        return Task.FromResult(new SchedulePage(own.GetRange(start, count), start + count < own.Count, own.Count));
    }
}
