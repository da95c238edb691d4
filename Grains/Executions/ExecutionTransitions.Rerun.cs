using System.Text.Json.Nodes;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Re-run from a node: each completed node leaves a <see cref="PathStep"/> with what it overwrote, so the state before
/// any kept node is the final state with the later steps undone, newest first (docs/decisions.md#rerun-keeps-an-undo-path).
/// </summary>
internal sealed partial class ExecutionTransitions
{
    /// <summary>Records, before the result is applied, what it overwrites; the oldest steps go past the path's bounds.</summary>
    public void RecordStep(string nodeId, StepResult result)
    {
        var prior = new Dictionary<string, string?>();
        var keys = (result.Output is null ? [] : new[] { nodeId }).Concat((result.StatePatch ?? []).Select(p => p.Key));
        foreach (var key in keys)
        {
            prior.TryAdd(key, WorkingState.TryGetPropertyValue(key, out var value) ? value?.ToJsonString() ?? "null" : null);
        }

        state.Path.Add(new PathStep(nodeId, state.Visits.GetValueOrDefault(nodeId, 1), prior));
        var size = state.Path.Sum(Size);
        while (state.Path.Count > 0 && (state.Path.Count > options.MaxRerunPathSteps || size > options.MaxRerunPathChars))
        {
            size -= Size(state.Path[0]);
            state.Path.RemoveAt(0);
        }
    }

    /// <summary>The start of a re-run from <paramref name="fromNode"/> (default: where the run stopped), or why there is none.</summary>
    public RerunPlan PlanRerun(CompiledWorkflow workflow, string? fromNode, string? inputJson, string? by)
    {
        var current = state.CurrentNodeId is { } c && !Completed(c) ? c : null;
        var from = fromNode ?? current ?? state.Error?.NodeId ?? workflow.Start.Id;
        if (!workflow.Nodes.ContainsKey(from))
        {
            return new RerunPlan(RerunOutcome.UnknownNode, $"workflow '{workflow.WorkflowId}' version {workflow.Version} has no node '{from}'", null);
        }

        var working = JsonNode.Parse(state.StateJson) as JsonObject ?? [];
        var visits = new Dictionary<string, int>(state.Visits);
        var keep = state.Path.Count;
        var reset = (fromNode is null && state.Status == ExecutionStatus.Succeeded) || (from == workflow.Start.Id && !state.Visits.ContainsKey(from));
        if (reset)
        {
            // Nothing to reuse: a succeeded run re-runs whole, and no state comes before a start node not yet entered.
            (working, visits, keep) = ([], [], 0);
        }
        else if (from != current)
        {
            var last = state.Path.FindLastIndex(s => s.NodeId == from);
            if (last < 0)
            {
                return state.Visits.ContainsKey(from)
                    ? new RerunPlan(RerunOutcome.NotKept, $"node '{from}' ran before the oldest of the {state.Path.Count} steps the execution keeps", null)
                    : new RerunPlan(RerunOutcome.NotReached, $"the execution never reached node '{from}'", null);
            }

            for (var i = state.Path.Count - 1; i >= last; i--)
            {
                Undo(working, visits, state.Path[i]);
            }

            keep = last;
        }

        if (current is not null && !reset)
        {
            // The node the run stopped in was entered, not completed: the re-run enters it again.
            Decrement(visits, current);
        }

        var seed = new RerunSeed(executionId, from, working.ToJsonString(), visits, state.Path.GetRange(0, keep));
        var start = new StartExecution(state.WorkflowId, state.Version, inputJson ?? state.InputJson)
        {
            Rerun = seed,
            Priority = state.Priority,
            By = by,
            Labels = state.Labels.Count > 0 ? new Dictionary<string, string>(state.Labels) : null,
        };
        return new RerunPlan(RerunOutcome.Ready, $"re-runs from node '{from}'", start);
    }

    /// <summary>A re-run begins with the state, visits and path the original had before its node.</summary>
    public void SeedRerun(RerunSeed seed)
    {
        state.StateJson = seed.StateJson;
        state.Visits = new Dictionary<string, int>(seed.Visits);
        state.Path = [.. seed.Path];
        state.RerunOf = seed.Of;
        state.RerunFrom = seed.FromNodeId;
        _workingState = null;
    }

    private bool Completed(string nodeId) =>
        state.Path.Count > 0 && state.Path[^1].NodeId == nodeId && state.Path[^1].Visit == state.Visits.GetValueOrDefault(nodeId);

    private static void Undo(JsonObject working, Dictionary<string, int> visits, PathStep step)
    {
        foreach (var (key, prior) in step.Prior)
        {
            if (prior is null)
            {
                working.Remove(key);
            }
            else
            {
                working[key] = JsonNode.Parse(prior);
            }
        }

        Decrement(visits, step.NodeId);
    }

    private static void Decrement(Dictionary<string, int> visits, string nodeId)
    {
        if (visits.GetValueOrDefault(nodeId) <= 1)
        {
            visits.Remove(nodeId);
        }
        else
        {
            visits[nodeId]--;
        }
    }

    private static long Size(PathStep step) => step.NodeId.Length + step.Prior.Sum(p => p.Key.Length + (p.Value?.Length ?? 0));
}

/// <summary>How a re-run shows on its <c>execution.queued</c>: the original's id and the node it begins at.</summary>
internal static class RerunEventData
{
    public static JsonObject WithRerun(this JsonObject data, RerunSeed? rerun)
    {
        if (rerun is not null)
        {
            data["rerunOf"] = TenantKey.Parse(rerun.Of).Id;
            data["fromNode"] = rerun.FromNodeId;
            data["reusedNodes"] = new JsonArray(rerun.Path.Select(s => s.NodeId).Distinct().Select(n => (JsonNode?)n).ToArray());
        }

        return data;
    }
}
