using AgentOrleans.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace AgentOrleans.Tests.Hosting;

/// <summary>The in-process storage of a one-silo cluster keeps Orleans' storage contract: copies, etags, clear.</summary>
public sealed class SingleSiloGrainStorageTests
{
    private static readonly GrainId Grain = GrainId.Create("execution", "ex-1");
    private readonly SingleSiloGrainStorage _storage = new(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());

    private async Task<GrainState<List<string>>> ReadAsync()
    {
        var state = new GrainState<List<string>>([]);
        await _storage.ReadStateAsync("state", Grain, state);
        return state;
    }

    [Fact]
    public async Task ARecordReadsBackAsACopyOfWhatWasWrittenWithItsETag()
    {
        var missing = await ReadAsync();
        var written = new GrainState<List<string>>(["a"]);
        await _storage.WriteStateAsync("state", Grain, written);
        written.State!.Add("changed after the write");

        var read = await ReadAsync();

        Assert.False(missing.RecordExists);
        Assert.True(read.RecordExists);
        Assert.Equal(["a"], read.State);
        Assert.NotNull(read.ETag);
        Assert.Equal(written.ETag, read.ETag);
    }

    [Fact]
    public async Task AWriterWithAStaleETagConflictsAndChangesNothing()
    {
        var first = new GrainState<List<string>>(["first"]);
        await _storage.WriteStateAsync("state", Grain, first);
        var stale = new GrainState<List<string>>(["stale"]) { ETag = first.ETag };
        first.State = ["second"];
        await _storage.WriteStateAsync("state", Grain, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("state", Grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("state", Grain, new GrainState<List<string>>(["no etag"])));
        Assert.Equal(["second"], (await ReadAsync()).State);
    }

    [Fact]
    public async Task AClearedRecordIsGoneAndStillConflictsWithAStaleWriter()
    {
        var state = new GrainState<List<string>>(["a"]);
        await _storage.WriteStateAsync("state", Grain, state);
        var stale = new GrainState<List<string>>(["stale"]) { ETag = state.ETag };
        await _storage.ClearStateAsync("state", Grain, state);

        Assert.False((await ReadAsync()).RecordExists);
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("state", Grain, stale));
        await _storage.WriteStateAsync("state", Grain, new GrainState<List<string>>(["again"]));
        Assert.Equal(["again"], (await ReadAsync()).State);
    }
}

/// <summary>The embedded silo (localhost clustering: a cluster of one) keeps memory storage in process.</summary>
[Collection(AgentOrleans.Tests.Infrastructure.ApiCollection.Name)]
public sealed class EmbeddedSiloStorageTests(AgentOrleans.Tests.Infrastructure.ApiFactory api)
{
    [Fact]
    public void TheEmbeddedSiloKeepsStateInProcess() =>
        Assert.IsType<SingleSiloGrainStorage>(api.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains));
}

/// <summary>A test cluster of several silos shares memory storage through Orleans' storage grains.</summary>
[Collection(AgentOrleans.Tests.Infrastructure.ClusterCollection.Name)]
public sealed class TestClusterStorageTests(AgentOrleans.Tests.Infrastructure.ClusterFixture cluster)
{
    [Fact]
    public void ASiloOfAManySiloClusterSharesState()
    {
        var silo = Assert.IsType<Orleans.TestingHost.InProcessSiloHandle>(cluster.Cluster.Primary);
        Assert.IsType<MemoryGrainStorage>(silo.SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains));
    }
}
