namespace AgentOrleans.Grains.Bulk;

/// <summary>Pace and bounds of bulk actions (<c>POST /v1/executions:cancel</c>, <c>:rerun</c>). Section <c>AgentOrleans:Bulk</c>.</summary>
public sealed class BulkOptions
{
    public const string SectionName = "AgentOrleans:Bulk";

    /// <summary>Actions one bulk operation takes per second at most (a token bucket refilled every 100 ms). Default 100.</summary>
    public int ActionsPerSecond { get; set; } = 100;

    /// <summary>Executions read from the index per page; progress and cursor are checkpointed after each page. Default 100.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Actions of one page in flight at once. Default 8.</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>Attempts of one action when its grain call fails (a lost silo, a timeout) before it counts as failed. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Failed actions an operation shows with their reason (the first ones). Default 20.</summary>
    public int MaxShownErrors { get; set; } = 20;

    /// <summary>Period of the durable reminder that resumes a running operation on a surviving silo. Default 1 min.</summary>
    public TimeSpan RecoveryReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<string> Problems()
    {
        if (ActionsPerSecond is < 1 or > 100_000)
        {
            yield return "ActionsPerSecond must be 1 to 100,000";
        }

        if (PageSize is < 1 or > 500)
        {
            yield return "PageSize must be 1 to 500 (the index's page bound)";
        }

        if (Parallelism < 1 || MaxAttempts < 1 || MaxShownErrors < 0)
        {
            yield return "Parallelism and MaxAttempts must be at least 1, MaxShownErrors not negative";
        }

        if (RecoveryReminderPeriod < TimeSpan.FromSeconds(1))
        {
            yield return "RecoveryReminderPeriod must be at least 1 s";
        }
    }
}
