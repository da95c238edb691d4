using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AgentOrleans.Cli.Watch;

/// <summary>Draws a <see cref="RunProgress"/> as a tree: the run, then each node with its state, attempt, elapsed time and streamed tokens.</summary>
public static class RunView
{
    private static readonly IReadOnlyList<string> SpinnerFrames = Spinner.Known.Dots.Frames;

    public static IRenderable Render(RunProgress run, DateTimeOffset now, int frame)
    {
        var tree = new Tree(new Markup($"{Mark(run.Status, frame)} [bold]{Markup.Escape(run.ExecutionId)}[/] {Colour(run.Status)} {Elapsed(run.StartedAt, run.EndedAt, now)}"));
        foreach (var node in run.Nodes)
        {
            var attempt = node.Attempt > 1 ? $" [yellow]attempt {node.Attempt}[/]" : "";
            var tools = node.ToolCalls > 0 ? $" [blue]{node.ToolCalls} tool call{(node.ToolCalls == 1 ? "" : "s")}[/]" : "";
            var branch = tree.AddNode(new Markup($"{Mark(node.Status, frame)} {Markup.Escape(node.Id)} {Colour(node.Status)}{attempt}{tools} {Elapsed(node.StartedAt, node.EndedAt, now)}"));
            if (node.Tokens.Length > 0)
            {
                branch.AddNode(new Text(node.Tokens.ReplaceLineEndings(" "), new Style(Color.Grey)));
            }

            if (node.Error is { } error)
            {
                branch.AddNode(new Text(error, new Style(Color.Red)));
            }
        }

        return tree;
    }

    /// <summary>A plain line per event, for output that is not a terminal (a pipe, a CI log).</summary>
    public static string Line(AgentOrleans.Grains.Executions.ExecutionEvent e) =>
        string.Create(CultureInfo.InvariantCulture, $"{e.Seq,5} {e.At:HH:mm:ss.fff} {e.Type}{(e.NodeId is null ? "" : " " + e.NodeId)}{(e.Attempt is > 1 ? $" (attempt {e.Attempt})" : "")}");

    private static string Mark(string status, int frame) => status switch
    {
        "succeeded" => "[green]✔[/]",
        "failed" or "timed_out" => "[red]✘[/]",
        "cancelled" => "[grey]■[/]",
        "waiting" or "paused" or "scheduled" => "[yellow]⏸[/]",
        _ => $"[cyan]{Markup.Escape(SpinnerFrames[frame % SpinnerFrames.Count])}[/]",
    };

    /// <summary>A status in its colour, as markup.</summary>
    public static string Colour(string status) => status switch
    {
        "succeeded" => "[green]succeeded[/]",
        "failed" or "timed_out" => $"[red]{status}[/]",
        "waiting" or "paused" or "retrying" or "scheduled" => $"[yellow]{status}[/]",
        _ => $"[cyan]{status}[/]",
    };

    private static string Elapsed(DateTimeOffset? from, DateTimeOffset? until, DateTimeOffset now) =>
        from is { } start && start != default ? $"[grey]{((until ?? now) - start).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s[/]" : "";
}
