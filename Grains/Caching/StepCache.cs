using System.Text;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Steps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Caching;

/// <summary>
/// What the run loop asks of the cache: a fresh entry's result, and storing a success within the size limit. The cache
/// only saves work: when its grain cannot be reached a read is a miss and a write is skipped, and the run goes on.
/// </summary>
internal sealed partial class StepCache(IGrainFactory grains, IOptions<StepCacheOptions> options, ILogger<StepCache> logger)
{
    public async Task<StepResult?> GetAsync(string entryKey)
    {
        try
        {
            return await grains.GetGrain<IStepCacheGrain>(entryKey).GetAsync() is { } entry
                ? new StepResult(Parse(entry.OutputJson), Parse(entry.StatePatchJson) as JsonObject)
                : null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ReadFailed(logger, entryKey, ex.GetBaseException().Message);
            return null;
        }
    }

    public async Task PutAsync(string entryKey, StepResult result, TimeSpan ttl)
    {
        var entry = new CachedStep(result.Output?.ToJsonString(), result.StatePatch?.ToJsonString());
        var size = Encoding.UTF8.GetByteCount(entry.OutputJson ?? "") + Encoding.UTF8.GetByteCount(entry.StatePatchJson ?? "");
        var limit = options.Value.MaxEntryBytes;
        if (size > limit)
        {
            Log.TooLarge(logger, entryKey, size, limit);
            return;
        }

        try
        {
            await grains.GetGrain<IStepCacheGrain>(entryKey).PutAsync(entry, ttl);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.WriteFailed(logger, entryKey, ex.GetBaseException().Message);
        }
    }

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Step output not cached under {EntryKey}: it is {Size} bytes, over AgentOrleans:StepCache:MaxEntryBytes of {Limit}")]
        public static partial void TooLarge(ILogger logger, string entryKey, int size, int limit);

        [LoggerMessage(2, LogLevel.Warning, "Step cache entry {EntryKey} could not be read, so the step runs: {Reason}")]
        public static partial void ReadFailed(ILogger logger, string entryKey, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Step output could not be cached under {EntryKey}: {Reason}")]
        public static partial void WriteFailed(ILogger logger, string entryKey, string reason);
    }
}
