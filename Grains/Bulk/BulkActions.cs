using System.Security.Cryptography;
using System.Text;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Tenants;

namespace AgentOrleans.Grains.Bulk;

/// <summary>What one action did to one execution.</summary>
public enum BulkItemOutcome
{
    Done,
    Skipped,
    Failed,
}

/// <summary>
/// The action on one execution. Each is idempotent, so a page taken again after a lost silo counts the same: a cancel
/// of a run already cancelled is done, and the re-run of an original by one operation has one id, started once.
/// </summary>
public static class BulkActions
{
    public static async Task<(BulkItemOutcome Outcome, string? Message)> ApplyAsync(IGrainFactory grains, string operationKey, BulkRequest request, ExecutionSummary execution)
    {
        var key = TenantKey.Scope(execution.Tenant, execution.Id);
        if (request.Action == BulkAction.Cancel)
        {
            var cancelled = await grains.GetGrain<IExecutionGrain>(key).CancelAsync(request.Reason, request.By);
            return cancelled switch
            {
                { Exists: false } => (BulkItemOutcome.Failed, cancelled.Message),
                { Accepted: true } or { Status: ExecutionStatus.Cancelled } => (BulkItemOutcome.Done, null),
                _ => (BulkItemOutcome.Skipped, cancelled.Message),
            };
        }

        var (plan, started) = await Reruns.StartAsync(grains, key, TenantKey.Scope(execution.Tenant, RerunId(operationKey, execution.Id)), request.FromNode, null, request.By);
        return (plan.Outcome, started?.Outcome) switch
        {
            (RerunOutcome.NotEnded, _) => (BulkItemOutcome.Skipped, plan.Message),
            (RerunOutcome.Ready, StartOutcome.Started or StartOutcome.AlreadyStarted) => (BulkItemOutcome.Done, null),
            (RerunOutcome.Ready, _) => (BulkItemOutcome.Failed, $"the re-run was refused: {started!.Outcome} {string.Join("; ", started.Problems.Select(p => p.Message))}"),
            _ => (BulkItemOutcome.Failed, plan.Message),
        };
    }

    /// <summary>The id of the re-run of <paramref name="executionId"/> by one operation: the same on every attempt.</summary>
    public static string RerunId(string operationKey, string executionId) =>
        "rerun-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{operationKey}\n{executionId}")))[..32];
}
