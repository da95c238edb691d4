using System.Security.Cryptography;
using System.Text;

namespace AgentOrleans.Grains.StartupTasks;

/// <summary>
/// The execution a startup task's run key gets: <c>startup:{name}:{first 12 hex digits of the run key's SHA-256}</c>.
/// Deterministic, so a start asked twice (a silo lost between the start and the task's checkpoint) names the same
/// execution; hashed, because a run key may hold anything (a '/', which would read as a tenant, or a long version string).
/// </summary>
public static class StartupTaskIds
{
    public const string Prefix = "startup:";

    public static string Execution(string taskName, string runKey) =>
        $"{Prefix}{taskName}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runKey)))[..12]}";

    /// <summary>Whether an execution id is a startup task's (only those may run the steps reserved to startup tasks).</summary>
    public static bool IsStartupExecution(string executionId) => executionId.StartsWith(Prefix, StringComparison.Ordinal);
}
