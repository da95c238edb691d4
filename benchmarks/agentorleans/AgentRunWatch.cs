namespace AgentOrleans.Benchmarks.Load;

/// <summary>
/// The one SSE client of one S11 run: counts the stamped tokens of its <c>node.progress</c> events; when told to,
/// drops the connection after <c>disconnectAfter</c> tokens and comes back with <c>Last-Event-ID</c>, as a client
/// whose network blinked does.
/// </summary>
public sealed class AgentRunWatch(Uri api, string executionId, TokenTally tally, int? disconnectAfter, TimeSpan reconnectAfter)
{
    public TokenTally Tally => tally;

    public bool Succeeded { get; private set; }

    /// <summary>The client dropped its first connection mid-run and read the rest on a second one.</summary>
    public bool Reconnected { get; private set; }

    public string? Error { get; private set; }

    /// <summary>When the terminal event arrived.</summary>
    public DateTimeOffset? EndedAt { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var drop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var first = new RawSseClient(api, executionId) { OnData = (_, type, data, received) => Count(type, data, received, drop) };
        await first.RunAsync(drop.Token);
        var last = first;
        if (!first.SawTerminal && drop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Reconnected = true;
            await Task.Delay(reconnectAfter, cancellationToken);
            last = new RawSseClient(api, executionId, first.LastDataSeq) { OnData = (_, type, data, received) => Count(type, data, received, null) };
            await last.RunAsync(cancellationToken);
        }

        Succeeded = last.Succeeded;
        Error = last.SawTerminal ? null : last.Error;
        EndedAt = last.SawTerminal ? DateTimeOffset.UtcNow : null;
    }

    private void Count(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data, DateTimeOffset received, CancellationTokenSource? drop)
    {
        if (!type.SequenceEqual("node.progress"u8))
        {
            return;
        }

        tally.Scan(data, received);
        if (drop is not null && disconnectAfter is { } after && tally.Received >= after)
        {
            drop.Cancel();
        }
    }
}
