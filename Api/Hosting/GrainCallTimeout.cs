namespace AgentOrleans.Api.Hosting;

/// <summary>
/// How long a grain call may take before Orleans gives up on it (its response timeout, 30 s unless
/// <c>AgentOrleans:Cluster:Membership:ResponseTimeout</c> lowers it). A long-poll is cut into calls
/// well inside it, or a lowered timeout would turn every long wait into a 503.
/// </summary>
public sealed record GrainCallTimeout(TimeSpan Value)
{
    /// <summary>The longest single wait call: half the timeout, at most 20 s.</summary>
    public TimeSpan WaitSlice => Value / 2 < TimeSpan.FromSeconds(20) ? Value / 2 : TimeSpan.FromSeconds(20);
}
