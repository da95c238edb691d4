using System.CommandLine;
using AgentOrleans.Cli.Watch;
using AgentOrleans.Client.Http;
using Spectre.Console;
using Spectre.Console.Json;

namespace AgentOrleans.Cli.Commands;

/// <summary><c>run WORKFLOW</c>, <c>show ID</c>, <c>watch ID</c>: start a run, read one, follow one live.</summary>
public static class RunCommands
{
    public static Command Run(CliApp app)
    {
        var workflow = new Argument<string>("workflow") { Description = "The workflow's id" };
        var input = new Option<string?>("--input", "-i") { Description = "The input: JSON, or @file" };
        var version = new Option<int?>("--version") { Description = "A version (default: the latest)" };
        var key = new Option<string?>("--idempotency-key") { Description = "The same key starts one execution" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Follow the run live; the exit code then says how it ended" };
        var command = new Command("run", "Start a run of a workflow") { workflow, input, version, key, watch };
        app.Handle(command, async (context, parse, cancellationToken) =>
        {
            var request = new StartRequest(parse.GetValue(workflow)!, InputValue.Read(parse.GetValue(input))) { Version = parse.GetValue(version) };
            var started = await context.Client.StartAsync(request, parse.GetValue(key), cancellationToken);
            if (!parse.GetValue(watch))
            {
                context.Print(started, (console, s) => console.MarkupLine($"[bold]{Markup.Escape(s.Id)}[/] {s.Status}{(s.Note is null ? "" : $" ({Markup.Escape(s.Note)})")}"));
                return ExitCodes.Ok;
            }

            return await WatchToEndAsync(context, started.Id, 0, cancellationToken);
        });
        return command;
    }

    public static Command Show(CliApp app)
    {
        var id = new Argument<string>("id") { Description = "The execution's id" };
        var command = new Command("show", "Print an execution's status, result and error") { id };
        app.Handle(command, async (context, parse, cancellationToken) =>
        {
            var execution = await context.Client.GetAsync(parse.GetValue(id)!, cancellationToken: cancellationToken);
            context.Print(execution, Describe);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Watch(CliApp app)
    {
        var id = new Argument<string>("id") { Description = "The execution's id" };
        var after = new Option<long>("--after") { Description = "Start after this event seq" };
        var command = new Command("watch", "Follow an execution live until it ends; the exit code says how it ended") { id, after };
        app.Handle(command, (context, parse, cancellationToken) => WatchToEndAsync(context, parse.GetValue(id)!, parse.GetValue(after), cancellationToken));
        return command;
    }

    private static async Task<int> WatchToEndAsync(CliContext context, string id, long after, CancellationToken cancellationToken)
    {
        var run = await RunWatcher.WatchAsync(context, id, after, cancellationToken);
        if (!context.Json)
        {
            context.Console.MarkupLine($"{Markup.Escape(id)} ended [bold]{run.Status}[/]");
        }

        return ExitCodes.ForStatus(run.Status);
    }

    private static void Describe(IAnsiConsole console, Execution execution)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[grey]id[/]", Markup.Escape(execution.Id));
        grid.AddRow("[grey]workflow[/]", $"{Markup.Escape(execution.WorkflowId)} v{execution.Version}");
        grid.AddRow("[grey]status[/]", $"[bold]{execution.Status}[/]");
        grid.AddRow("[grey]created[/]", $"{execution.CreatedAt:u}");
        if (execution.CurrentNode is { } node)
        {
            grid.AddRow("[grey]node[/]", $"{Markup.Escape(node.Id)} (attempt {node.Attempt})");
        }

        foreach (var wait in execution.WaitingFor ?? [])
        {
            grid.AddRow("[grey]waiting for[/]", Markup.Escape(wait.Approval is { } call ? $"approval of {call.Name} ({call.ToolCallId})" : $"signal '{wait.Signal}' at {wait.NodeId}"));
        }

        if (execution.Error is { } error)
        {
            grid.AddRow("[grey]error[/]", $"[red]{Markup.Escape(error.Type)}[/]: {Markup.Escape(error.Message)}");
        }

        console.Write(grid);
        if (execution.Result is { } result)
        {
            console.Write(new JsonText(result.ToJsonString()));
            console.WriteLine();
        }
    }
}
