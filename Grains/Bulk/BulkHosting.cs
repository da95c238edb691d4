using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Grains.Bulk;

public static class BulkHosting
{
    public static IServiceCollection AddBulkOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BulkOptions>().Bind(configuration.GetSection(BulkOptions.SectionName))
            .Validate(o => !o.Problems().Any(), $"{BulkOptions.SectionName}: ActionsPerSecond 1 to 100,000, PageSize 1 to 500, Parallelism and MaxAttempts at least 1, RecoveryReminderPeriod at least 1 s")
            .ValidateOnStart();
        return services;
    }
}
