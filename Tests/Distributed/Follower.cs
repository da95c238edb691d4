using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Tests.Distributed;

/// <summary>A resilient reader of one execution's events; see <see cref="DistributedRuns.Follow"/>.</summary>
public sealed class Follower
{
    private readonly List<ExecutionEvent> _events = [];

    public Follower(OrleansExecutionEvents events, string id)
    {
        Id = id;
        Completion = RunAsync(events);
    }

    public string Id { get; }

    public Task Completion { get; }

    /// <summary>How many times FollowAsync failed and was resumed from the last seq.</summary>
    public int Resumes { get; private set; }

    public List<ExecutionEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    private async Task RunAsync(OrleansExecutionEvents events)
    {
        long last = 0;
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < until)
        {
            try
            {
                await foreach (var e in events.FollowAsync(Id, last))
                {
                    lock (_events)
                    {
                        _events.Add(e);
                    }

                    last = e.Seq;
                    if (e.IsTerminal)
                    {
                        return;
                    }
                }

                return;
            }
            catch (Exception ex) when (DistributedRuns.IsTransient(ex))
            {
                Resumes++;
                await Task.Delay(DistributedRuns.RetryBackoff);
            }
        }
    }
}
