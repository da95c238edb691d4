using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Grains.Retention;

public static partial class RetentionHosting
{
    /// <summary>Every silo makes sure the sweeper's reminder is registered when it starts (idempotent, so once per cluster in effect).</summary>
    public static ISiloBuilder AddRetentionSweeper(this ISiloBuilder silo) => silo.AddStartupTask(async (services, _) =>
    {
        try
        {
            await services.GetRequiredService<IGrainFactory>().GetGrain<IRetentionSweeperGrain>(IRetentionSweeperGrain.Key).StartAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Another silo's start, or this one's next, registers it; a silo does not fail to start for it.
            Log.StartFailed(services.GetRequiredService<ILoggerFactory>().CreateLogger<RetentionSweeperGrain>(), ex.GetBaseException().Message);
        }
    });

    private static partial class Log
    {
        [LoggerMessage(3, LogLevel.Warning, "Retention's sweeper could not register its reminder ({Reason}); the next silo start tries again")]
        public static partial void StartFailed(ILogger logger, string reason);
    }
}
