using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Retention;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentOrleans.Grains.Index;

public static class ExecutionIndexHosting
{
    /// <summary>
    /// The execution index and retention's options, for silos and the Api alike: in memory (one grain) unless grain
    /// storage is PostgreSQL, then its table (deploy/postgres/05-execution-index.sql).
    /// </summary>
    public static IServiceCollection AddExecutionIndex(this IServiceCollection services, IConfiguration configuration, OrleansHostingOptions hosting)
    {
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.SectionName))
            .Validate(o => !o.Problems().Any(), $"{RetentionOptions.SectionName}: durations positive, SweepPeriod at least 1 min (or 0: off), BatchSize 1 to 10,000")
            .ValidateOnStart();
        if (hosting.Storage == StorageKind.Postgres)
        {
            services.TryAddSingleton(_ => new IndexDatabase(hosting.PostgresConnectionString!));
            services.TryAddSingleton<IExecutionIndex, PostgresExecutionIndex>();
            services.TryAddSingleton<IWorkflowCatalog, PostgresWorkflowCatalog>();
            services.TryAddSingleton<IExecutionTombstones, PostgresExecutionTombstones>();
        }
        else
        {
            services.TryAddSingleton<IExecutionIndex, MemoryExecutionIndex>();
            services.TryAddSingleton<IWorkflowCatalog, MemoryWorkflowCatalog>();
            services.TryAddSingleton<IExecutionTombstones, MemoryExecutionTombstones>();
        }

        return services;
    }
}
