using System.Globalization;
using System.Runtime.InteropServices;
using Orleans.Serialization;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Session;
using Orleans.Storage;

namespace AgentOrleans.Grains.Hosting;

/// <summary>
/// Grain state in this process's memory, for a cluster that is one silo (localhost clustering: the
/// embedded default, or a lone Silo process). Orleans' memory storage keeps state in storage grains so
/// that several silos can share it; with one silo that costs every read and write a grain call
/// (measured: 28% of the bytes a start allocated at 1,000 starts/s). As there, state is kept serialized
/// (what a grain writes cannot change afterwards), every write checks the etag, and everything is lost
/// when the process ends.
/// </summary>
/// <remarks>
/// The serialized state is kept in native memory. On the managed heap every execution's last state
/// (~3.5 KB) survived into the old generation, and the GC copied it there twice: at 1,000 starts/s that
/// was nearly all it promoted (1.8 MB per gen0 collection, 7 MB per gen1), and the copying was most of
/// each pause. The memory is freed when a record is replaced or cleared and when the storage is disposed;
/// it is not reported to the GC as memory pressure, because no collection can free it.
/// </remarks>
internal sealed class SingleSiloGrainStorage(Serializer serializer, SerializerSessionPool sessions) : IGrainStorage, IDisposable
{
    private readonly Dictionary<(string StateName, GrainId GrainId), Record> _records = [];
    private readonly Lock _lock = new();
    private long _lastETag;
    private bool _disposed;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        byte[]? data = null;
        string? etag = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_records.TryGetValue((stateName, grainId), out var record) && record.Data.IsAllocated)
            {
                data = record.Data.ToArray();
                etag = record.ETag;
            }
        }

        if (data is not null)
        {
            grainState.State = serializer.Deserialize<T>(data) ?? Activator.CreateInstance<T>();
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        grainState.ETag = Replace((stateName, grainId), grainState.ETag, Serialize(grainState.State));
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // A cleared record is remembered (no data, no etag) so that a stale writer still conflicts.
        grainState.ETag = Replace((stateName, grainId), grainState.ETag, default);
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var record in _records.Values)
            {
                record.Data.Free();
            }

            _records.Clear();
        }
    }

    private NativeBytes Serialize<T>(T state)
    {
        using var session = sessions.GetSession();
        var writer = Writer.CreatePooled(session);
        try
        {
            serializer.Serialize(state, ref writer);
            return NativeBytes.CopyOf(writer.Output);
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>
    /// Stores <paramref name="data"/> (none: a cleared record) if the caller's etag matches the stored one,
    /// freeing what it replaces; returns the new etag. On a conflict <paramref name="data"/> is freed instead.
    /// </summary>
    private string? Replace((string, GrainId) key, string? expectedETag, NativeBytes data)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                data.Free();
                throw new ObjectDisposedException(nameof(SingleSiloGrainStorage));
            }

            ref var record = ref CollectionsMarshal.GetValueRefOrAddDefault(_records, key, out var exists);
            if (exists && record.ETag != expectedETag)
            {
                data.Free();
                throw new InconsistentStateException($"etag mismatch on {key.Item1} of {key.Item2}", record.ETag ?? "(cleared)", expectedETag ?? "(none)");
            }

            record.Data.Free();
            record = new Record(data, data.IsAllocated ? (++_lastETag).ToString(CultureInfo.InvariantCulture) : null);
            return record.ETag;
        }
    }

    /// <summary>A stored state (not allocated: cleared) and its etag (null when cleared).</summary>
    private readonly record struct Record(NativeBytes Data, string? ETag);
}
