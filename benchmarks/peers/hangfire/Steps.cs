using Npgsql;

namespace AgentOrleans.Benchmarks.Peers.Hangfire;

/// <summary>The no-op step job. Hangfire serializes the call expression and invokes it by reflection.</summary>
public static class Steps
{
    private static long _done;
    private static long _executions;

    /// <summary>When set (S8 and the worker verb), every execution is counted in PostgreSQL.</summary>
    public static NpgsqlDataSource? Counter { get; set; }

    public static long Done => Interlocked.Read(ref _done);

    public static long Executions => Interlocked.Read(ref _executions);

    public static void Reset()
    {
        Interlocked.Exchange(ref _done, 0);
        Interlocked.Exchange(ref _executions, 0);
    }

    /// <summary>A step that does nothing but bookkeeping: the last step counts its run as done.</summary>
    public static void Step(string runId, int n)
    {
        Interlocked.Increment(ref _executions);
        if (Counter is { } ds)
        {
            using var cmd = ds.CreateCommand(
                "INSERT INTO peer_steps(run_id, step, n) VALUES ($1, $2, 1) " +
                "ON CONFLICT (run_id, step) DO UPDATE SET n = peer_steps.n + 1");
            cmd.Parameters.AddWithValue(runId);
            cmd.Parameters.AddWithValue(n);
            cmd.ExecuteNonQuery();
        }

        if (n == 3)
        {
            Interlocked.Increment(ref _done);
        }
    }
}
