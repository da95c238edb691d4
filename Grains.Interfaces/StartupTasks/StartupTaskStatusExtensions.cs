namespace AgentOrleans.Grains.StartupTasks;

public static class StartupTaskStatusExtensions
{
    /// <summary>The wire name: <c>pending</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c>.</summary>
    public static string ToWireName(this StartupTaskStatus status) => status.ToString().ToLowerInvariant();
}
