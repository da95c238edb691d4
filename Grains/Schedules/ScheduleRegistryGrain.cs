using AgentOrleans.Grains.Hosting;

namespace AgentOrleans.Grains.Schedules;

/// <summary>The schedule ids, sorted (ordinal), for <c>GET /v1/schedules</c> page by page.</summary>
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

    public Task<SchedulePage> ListAsync(string? after, int limit)
    {
        var start = 0;
        if (after is not null)
        {
            var index = Ids.BinarySearch(after, StringComparer.Ordinal);
            start = index >= 0 ? index + 1 : ~index;
        }

        var count = Math.Min(Math.Max(limit, 1), Ids.Count - start);
        return Task.FromResult(new SchedulePage(Ids.GetRange(start, count), start + count < Ids.Count, Ids.Count));
    }
}
