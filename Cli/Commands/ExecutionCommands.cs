using System.CommandLine;
using AgentOrleans.Client.Http;
using AgentOrleans.Cli.Watch;
using Spectre.Console;

namespace AgentOrleans.Cli.Commands;

/// <summary><c>executions list [filters]</c> and <c>rerun ID [--from-node N] [--input JSON|@file]</c>.</summary>
public static class ExecutionCommands
{
    public static Command Build(CliApp app)
    {
        var executions = new Command("executions", "List executions");
        var status = new Option<string[]>("--status") { Description = "Only these statuses (running, failed, …); repeat or comma-separate", AllowMultipleArgumentsPerToken = true };
        var workflow = new Option<string?>("--workflow") { Description = "Only this workflow's executions" };
        var label = new Option<string[]>("--label") { Description = "Only executions with this label (key:value); repeatable" };
        var createdAfter = new Option<DateTimeOffset?>("--created-after") { Description = "Created after this time (ISO 8601)" };
        var createdBefore = new Option<DateTimeOffset?>("--created-before") { Description = "Created before this time (ISO 8601)" };
        var parent = new Option<string?>("--parent") { Description = "Only this execution's children" };
        var schedule = new Option<string?>("--schedule") { Description = "Only the executions this schedule fired" };
        var limit = new Option<int>("--limit") { Description = "How many, newest first (default 50; 0 for all)", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "List executions, newest first") { status, workflow, label, createdAfter, createdBefore, parent, schedule, limit };
        app.Handle(list, async (context, parse, cancellationToken) =>
        {
            var filter = new ExecutionFilter
            {
                Statuses = parse.GetValue(status)?.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList(),
                WorkflowId = parse.GetValue(workflow),
                Labels = Labels(parse.GetValue(label)),
                CreatedAfter = parse.GetValue(createdAfter),
                CreatedBefore = parse.GetValue(createdBefore),
                Parent = parse.GetValue(parent),
                Schedule = parse.GetValue(schedule),
            };
            var items = await ListAsync(context.Client, filter, parse.GetValue(limit), cancellationToken);
            context.Print(items, PrintTable);
            return ExitCodes.Ok;
        });
        executions.Add(list);
        return executions;
    }

    public static Command Rerun(CliApp app)
    {
        var id = new Argument<string>("id") { Description = "The ended execution to re-run" };
        var fromNode = new Option<string?>("--from-node") { Description = "Begin at this node (default: where it stopped)" };
        var input = new Option<string?>("--input") { Description = "Replace its input (JSON or @file)" };
        var rerun = new Command("rerun", "Re-run an ended execution from its failed node, reusing what ran before it") { id, fromNode, input };
        app.Handle(rerun, async (context, parse, cancellationToken) =>
        {
            var started = await context.Client.RerunAsync(parse.GetValue(id)!, new RerunRequest(parse.GetValue(fromNode), InputValue.Read(parse.GetValue(input))), cancellationToken: cancellationToken);
            context.Print(started, (console, s) => console.MarkupLine($"[bold]{Markup.Escape(s.Id)}[/] re-runs {Markup.Escape(s.RerunOf)} from {Markup.Escape(s.FromNode)}: {s.Status}"));
            return ExitCodes.Ok;
        });
        return rerun;
    }

    private static async Task<List<ExecutionListItem>> ListAsync(AgentOrleansClient client, ExecutionFilter filter, int limit, CancellationToken cancellationToken)
    {
        if (limit < 0)
        {
            throw new CliUsageException("--limit must be 0 (all) or more");
        }

        var items = new List<ExecutionListItem>();
        await foreach (var item in client.ListAllExecutionsAsync(filter, cancellationToken))
        {
            items.Add(item);
            if (limit > 0 && items.Count == limit)
            {
                break;
            }
        }

        return items;
    }

    private static Dictionary<string, string>? Labels(string[]? labels)
    {
        if (labels is not { Length: > 0 })
        {
            return null;
        }

        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            var colon = label.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new CliUsageException($"--label '{label}' is not key:value");
            }

            parsed[label[..colon]] = label[(colon + 1)..];
        }

        return parsed;
    }

    private static void PrintTable(IAnsiConsole console, IReadOnlyList<ExecutionListItem> items)
    {
        // Ids are copied into the next command: never wrapped.
        var table = new Table().AddColumn(new TableColumn("id").NoWrap()).AddColumns("workflow", "status", "created", "completed", "error");
        foreach (var e in items)
        {
            table.AddRow(Markup.Escape(e.Id), Markup.Escape($"{e.WorkflowId} v{e.Version}"), RunView.Colour(e.Status), $"{e.CreatedAt:u}", e.CompletedAt is { } c ? $"{c:u}" : "", Markup.Escape(e.ErrorType ?? ""));
        }

        console.Write(table);
    }
}
