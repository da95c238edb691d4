using Orleans.Serialization;
using Orleans.Storage;

namespace AgentOrleans.Grains.Hosting;

/// <summary>
/// Grain state in this process's memory, for a cluster that is one silo (localhost clustering: the
/// embedded default, or a lone Silo process). Orleans' memory storage keeps state in storage grains so
/// that several silos can share it; with one silo that costs every read and write a grain call
/// (docs/decisions.md#single-silo-storage-in-process). As there, state is kept serialized
/// (what a grain writes cannot change afterwards), every write checks the etag, and everything is lost
/// when the process ends.
/// </summary>
/// <remarks>
/// The bytes stay on the managed heap: in native memory the GC collected far more often
/// (tried and reverted: docs/decisions.md#native-memory-state-tried-and-reverted).
/// </remarks>
internal sealed class SingleSiloGrainStorage(Serializer serializer) : IGrainStorage
{
    private readonly OrleansGrainStorageSerializer _serializer = new(serializer);
    private readonly Dictionary<(string StateName, GrainId GrainId), Stored> _states = [];
    private readonly Lock _lock = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Stored? stored;
        lock (_lock)
        {
            _states.TryGetValue((stateName, grainId), out stored);
        }

        if (stored is { Data: { } data })
        {
            grainState.State = _serializer.Deserialize<T>(data) ?? Activator.CreateInstance<T>();
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var written = new Stored(_serializer.Serialize(grainState.State), Guid.NewGuid().ToString("N"));
        Replace((stateName, grainId), grainState.ETag, written);
        grainState.ETag = written.ETag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // A cleared record is remembered (no data, no etag) so that a stale writer still conflicts.
        Replace((stateName, grainId), grainState.ETag, new Stored(null, null));
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    /// <summary>Stores <paramref name="next"/> if the caller's etag matches the stored one.</summary>
    private void Replace((string, GrainId) key, string? expectedETag, Stored next)
    {
        lock (_lock)
        {
            if (_states.TryGetValue(key, out var current) && current.ETag != expectedETag)
            {
                throw new InconsistentStateException($"etag mismatch on {key.Item1} of {key.Item2}", current.ETag ?? "(cleared)", expectedETag ?? "(none)");
            }

            _states[key] = next;
        }
    }

    private sealed record Stored(BinaryData? Data, string? ETag);
}
