namespace AgentOrleans.Grains.Retention;

[Alias("AgentOrleans.ITombstoneGrain")]
public interface ITombstoneGrain : IGrainWithStringKey
{
    public const string Key = "tombstones";

    [Alias("Add")]
    Task AddAsync(string tenant, string id, DateTimeOffset deletedAt, DateTimeOffset keepUntil);

    [Alias("DeletedAt"), Orleans.Concurrency.ReadOnly]
    Task<DateTimeOffset?> DeletedAtAsync(string tenant, string id, DateTimeOffset now);

    [Alias("Purge")]
    Task<int> PurgeAsync(DateTimeOffset now, int limit);
}

/// <summary>The in-memory tombstones: one activation per cluster, kept while its silo runs.</summary>
internal sealed class TombstoneGrain : Grain, ITombstoneGrain
{
    private readonly Dictionary<(string Tenant, string Id), (DateTimeOffset DeletedAt, DateTimeOffset KeepUntil)> _tombstones = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.DelayDeactivation(TimeSpan.MaxValue);
        return Task.CompletedTask;
    }

    public Task AddAsync(string tenant, string id, DateTimeOffset deletedAt, DateTimeOffset keepUntil)
    {
        _tombstones[(tenant, id)] = (deletedAt, keepUntil);
        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> DeletedAtAsync(string tenant, string id, DateTimeOffset now) =>
        Task.FromResult(_tombstones.TryGetValue((tenant, id), out var t) && t.KeepUntil > now ? t.DeletedAt : (DateTimeOffset?)null);

    public Task<int> PurgeAsync(DateTimeOffset now, int limit)
    {
        var expired = _tombstones.Where(t => t.Value.KeepUntil <= now).Take(limit).Select(t => t.Key).ToList();
        expired.ForEach(key => _tombstones.Remove(key));
        return Task.FromResult(expired.Count);
    }
}

/// <summary>The in-memory tombstones as seen from any silo or the Api.</summary>
public sealed class MemoryExecutionTombstones(IGrainFactory grains) : IExecutionTombstones
{
    private ITombstoneGrain Grain => grains.GetGrain<ITombstoneGrain>(ITombstoneGrain.Key);

    public Task AddAsync(string tenant, string id, DateTimeOffset deletedAt, DateTimeOffset keepUntil, CancellationToken cancellationToken = default) =>
        Grain.AddAsync(tenant, id, deletedAt, keepUntil);

    public Task<DateTimeOffset?> DeletedAtAsync(string tenant, string id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Grain.DeletedAtAsync(tenant, id, now);

    public Task<int> PurgeAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) => Grain.PurgeAsync(now, limit);
}
