using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace AgentOrleans.Grains.Hosting;

/// <summary>
/// Grain state is written with the Orleans binary serializer instead of the providers' default
/// (Newtonsoft JSON): an execution is checkpointed after every step, state and event log
/// together, so the serializer is on the hot path (docs/decisions.md#binary-grain-state).
/// The state types (ours and Orleans' pub-sub state) carry [Id] attributes, which is what makes
/// the binary format version-tolerant.
/// </summary>
internal static class BinaryGrainStorage
{
    public static void UseBinarySerializerForMemoryStorage(this IServiceCollection services, string name) =>
        services.AddOptions<MemoryGrainStorageOptions>(name)
            .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));

    public static void UseBinarySerializerForAdoNetStorage(this IServiceCollection services, string name) =>
        services.AddOptions<AdoNetGrainStorageOptions>(name)
            .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
}
