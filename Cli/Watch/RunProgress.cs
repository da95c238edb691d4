using System.Text;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Cli.Watch;

/// <summary>
/// A run as its events tell it, for the live view: each node in the order it started, with its status, attempt,
/// times, the tail of the tokens it streamed and the tool calls it made; and the run's own status once it ends.
/// </summary>
public sealed class RunProgress(string executionId)
{
    /// <summary>How much streamed text a node keeps for the view: the last line or so is what a terminal shows.</summary>
    public const int TokenTail = 160;

    private readonly Dictionary<string, NodeProgress> _nodes = [];
    private readonly List<NodeProgress> _order = [];

    public string ExecutionId { get; } = executionId;

    public string Status { get; private set; } = "queued";

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public long LastSeq { get; private set; }

    public IReadOnlyList<NodeProgress> Nodes => _order;

    public bool Ended => Status is "succeeded" or "failed" or "cancelled" or "timed_out";

    public void Apply(ExecutionEvent e)
    {
        LastSeq = e.Seq;
        var data = e.DataJson is null ? null : JsonNode.Parse(e.DataJson) as JsonObject;
        switch (e.Type)
        {
            case EventTypes.ExecutionStarted:
                Status = "running";
                StartedAt = e.At;
                break;
            case EventTypes.ExecutionScheduled:
                Status = "scheduled";
                break;
            case EventTypes.ExecutionPaused:
                Status = "paused";
                break;
            case EventTypes.ExecutionResumed:
                Status = "running";
                break;
            case EventTypes.ExecutionCompleted or EventTypes.ExecutionFailed or EventTypes.ExecutionCancelled or EventTypes.ExecutionTimedOut:
                Status = e.Type["execution.".Length..] == "completed" ? "succeeded" : e.Type["execution.".Length..];
                EndedAt = e.At;
                break;
        }

        if (e.NodeId is { } nodeId)
        {
            Node(nodeId).Apply(e, data);
            if (e.Type == EventTypes.NodeWaiting)
            {
                Status = "waiting";
            }
            else if (e.Type == EventTypes.NodeStarted && Status == "waiting")
            {
                Status = "running";
            }
        }
    }

    private NodeProgress Node(string id)
    {
        if (!_nodes.TryGetValue(id, out var node))
        {
            node = new NodeProgress(id);
            _nodes[id] = node;
            _order.Add(node);
        }

        return node;
    }
}

/// <summary>One node of a run in the live view.</summary>
public sealed class NodeProgress(string id)
{
    private readonly StringBuilder _tokens = new();

    public string Id { get; } = id;

    /// <summary>running, waiting, retrying, succeeded or failed.</summary>
    public string Status { get; private set; } = "running";

    public int Attempt { get; private set; } = 1;

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public int ToolCalls { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The end of what the node streamed (LLM tokens), at most <see cref="RunProgress.TokenTail"/> characters.</summary>
    public string Tokens => _tokens.ToString();

    internal void Apply(ExecutionEvent e, JsonObject? data)
    {
        Attempt = e.Attempt ?? Attempt;
        switch (e.Type)
        {
            case EventTypes.NodeStarted:
                Status = "running";
                StartedAt = StartedAt == default ? e.At : StartedAt;
                EndedAt = null;
                break;
            case EventTypes.NodeProgress:
                foreach (var chunk in data?["chunks"] as JsonArray ?? [])
                {
                    Take(chunk as JsonObject);
                }

                break;
            case EventTypes.NodeRetrying:
                Status = "retrying";
                break;
            case EventTypes.NodeWaiting:
                Status = "waiting";
                break;
            case EventTypes.NodeCompleted:
                Status = "succeeded";
                EndedAt = e.At;
                break;
            case EventTypes.NodeFailed:
                Status = "failed";
                EndedAt = e.At;
                Error = data?["message"]?.GetValue<string>();
                break;
        }
    }

    private void Take(JsonObject? chunk)
    {
        if (chunk?["token"] is JsonValue token && token.TryGetValue<string>(out var text))
        {
            _tokens.Append(text);
            if (_tokens.Length > RunProgress.TokenTail)
            {
                _tokens.Remove(0, _tokens.Length - RunProgress.TokenTail);
            }
        }
        else if (chunk?["toolCall"] is not null)
        {
            ToolCalls++;
        }
    }
}
