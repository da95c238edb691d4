namespace AgentOrleans.Grains.Auth;

/// <summary>
/// What a caller may do: each scope is one authorization policy of the same name, required by the endpoints that do
/// it (docs/security.md lists which). A key or token holds any number of them; none implies another.
/// </summary>
public static class Scopes
{
    /// <summary>Publish workflow definitions.</summary>
    public const string WorkflowsWrite = "workflows:write";

    /// <summary>Start executions.</summary>
    public const string ExecutionsStart = "executions:start";

    /// <summary>Read executions: status, long-poll, events (JSON and SSE).</summary>
    public const string ExecutionsRead = "executions:read";

    /// <summary>Stop or hold a run: cancel, pause, resume.</summary>
    public const string ExecutionsCancel = "executions:cancel";

    /// <summary>Send signals to executions.</summary>
    public const string ExecutionsSignal = "executions:signal";

    /// <summary>Operate the service: the Orleans dashboard and <c>/metrics</c> (Api and silos).</summary>
    public const string Admin = "admin";

    /// <summary>Every scope a key or token may hold.</summary>
    public static readonly IReadOnlyList<string> All = [WorkflowsWrite, ExecutionsStart, ExecutionsRead, ExecutionsCancel, ExecutionsSignal, Admin];
}
