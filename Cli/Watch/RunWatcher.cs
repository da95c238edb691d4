using System.Threading.Channels;
using AgentOrleans.Grains.Executions;
using Spectre.Console;

namespace AgentOrleans.Cli.Watch;

/// <summary>
/// Follows a run to its end: a live tree on a terminal (redrawn as events arrive and ten times a second for the
/// spinners and clocks), a line per event otherwise, one JSON document per event with <c>--output json</c>.
/// Returns the run's progress, whose status gives the exit code.
/// </summary>
public static class RunWatcher
{
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(100);

    public static async Task<RunProgress> WatchAsync(CliContext context, string id, long after, CancellationToken cancellationToken)
    {
        var run = new RunProgress(id);
        var events = context.Client.WatchAsync(id, after, cancellationToken);
        if (context.Json || !context.Console.Profile.Capabilities.Interactive)
        {
            await foreach (var e in events)
            {
                run.Apply(e);
                if (context.Json)
                {
                    context.Console.Profile.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(WireForm(e), JsonOutput.Lines));
                }
                else
                {
                    context.Console.WriteLine(RunView.Line(e));
                }
            }

            return run;
        }

        var channel = Channel.CreateUnbounded<ExecutionEvent>();
        var reader = PumpAsync(events, channel.Writer);
        await context.Console.Live(RunView.Render(run, DateTimeOffset.UtcNow, 0)).StartAsync(async live =>
        {
            using var ticks = new PeriodicTimer(Redraw);
            var frame = 0;
            while (!run.Ended)
            {
                while (channel.Reader.TryRead(out var e))
                {
                    run.Apply(e);
                }

                live.UpdateTarget(RunView.Render(run, DateTimeOffset.UtcNow, frame++));
                if (run.Ended || channel.Reader.Completion.IsCompleted || !await ticks.WaitForNextTickAsync(cancellationToken))
                {
                    break;
                }
            }
        });
        await reader;
        return run;
    }

    // The same shape as the API's SSE data, so a script reads either the same way.
    private static object WireForm(ExecutionEvent e) => new
    {
        seq = e.Seq,
        type = e.Type,
        at = e.At,
        executionId = e.ExecutionId,
        nodeId = e.NodeId,
        attempt = e.Attempt,
        data = e.DataJson is null ? null : System.Text.Json.Nodes.JsonNode.Parse(e.DataJson),
    };

    private static async Task PumpAsync(IAsyncEnumerable<ExecutionEvent> events, ChannelWriter<ExecutionEvent> writer)
    {
        try
        {
            await foreach (var e in events)
            {
                await writer.WriteAsync(e);
            }

            writer.Complete();
        }
        catch (Exception ex)
        {
            writer.Complete(ex);
            throw;
        }
    }
}
