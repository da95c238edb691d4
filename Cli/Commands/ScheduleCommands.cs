using System.CommandLine;
using System.Text.Json.Nodes;
using AgentOrleans.Client.Http;
using Spectre.Console;

namespace AgentOrleans.Cli.Commands;

/// <summary><c>schedules list|show|put|pause|resume|trigger|delete</c>.</summary>
public static class ScheduleCommands
{
    public static Command Build(CliApp app)
    {
        var schedules = new Command("schedules", "Create, read and control schedules");

        var list = new Command("list", "List the schedules");
        app.Handle(list, async (context, _, cancellationToken) =>
        {
            var all = new List<Schedule>();
            string? after = null;
            do
            {
                var page = await context.Client.ListSchedulesAsync(after, 500, cancellationToken);
                all.AddRange(page.Items);
                after = page.Next is null || page.Items.Count == 0 ? null : page.Items[^1].Id;
            }
            while (after is not null);

            context.Print(all, PrintTable);
            return ExitCodes.Ok;
        });
        schedules.Add(list);

        var spec = new Argument<string>("spec") { Description = "The schedule as JSON ({workflowId, cron|every, …}) or @file" };
        schedules.Add(WithId(app, "put", "Create or replace a schedule", [spec], (context, parse, id, cancellationToken) =>
            context.Client.PutScheduleAsync(id, InputValue.Read(parse.GetValue(spec)) as JsonObject ?? throw new CliUsageException("the schedule must be a JSON object"), cancellationToken)));
        schedules.Add(WithId(app, "show", "Print a schedule: its next and last fires", [], (context, _, id, cancellationToken) => context.Client.GetScheduleAsync(id, cancellationToken)));
        schedules.Add(WithId(app, "pause", "Pause a schedule", [], (context, _, id, cancellationToken) => context.Client.PauseScheduleAsync(id, cancellationToken)));
        schedules.Add(WithId(app, "resume", "Resume a schedule", [], (context, _, id, cancellationToken) => context.Client.ResumeScheduleAsync(id, cancellationToken)));

        var triggerId = new Argument<string>("id") { Description = "The schedule's id" };
        var trigger = new Command("trigger", "Fire a schedule now, under its overlap policy") { triggerId };
        app.Handle(trigger, async (context, parse, cancellationToken) =>
        {
            var fire = await context.Client.TriggerScheduleAsync(parse.GetValue(triggerId)!, cancellationToken);
            context.Print(fire, (console, f) => console.MarkupLine($"{f.Outcome}{(f.ExecutionId is null ? "" : $" [bold]{Markup.Escape(f.ExecutionId)}[/]")}"));
            return ExitCodes.Ok;
        });
        schedules.Add(trigger);

        var deleteId = new Argument<string>("id") { Description = "The schedule's id" };
        var delete = new Command("delete", "Delete a schedule (the runs it started go on)") { deleteId };
        app.Handle(delete, async (context, parse, cancellationToken) =>
        {
            await context.Client.DeleteScheduleAsync(parse.GetValue(deleteId)!, cancellationToken);
            context.Print(new { deleted = parse.GetValue(deleteId) }, (console, _) => console.MarkupLine("deleted"));
            return ExitCodes.Ok;
        });
        schedules.Add(delete);
        return schedules;
    }

    private static Command WithId(CliApp app, string name, string description, Argument[] arguments, Func<CliContext, ParseResult, string, CancellationToken, Task<Schedule>> act)
    {
        var id = new Argument<string>("id") { Description = "The schedule's id" };
        var command = new Command(name, description) { id };
        foreach (var argument in arguments)
        {
            command.Add(argument);
        }

        app.Handle(command, async (context, parse, cancellationToken) =>
        {
            var schedule = await act(context, parse, parse.GetValue(id)!, cancellationToken);
            context.Print(schedule, (console, s) => PrintTable(console, [s]));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void PrintTable(IAnsiConsole console, IReadOnlyList<Schedule> schedules)
    {
        var table = new Table().AddColumns("id", "workflow", "when", "state", "next fire", "last fire");
        foreach (var s in schedules)
        {
            var last = s.LastFires.Count > 0 ? $"{s.LastFires[0].At:u} {s.LastFires[0].Outcome}" : "";
            table.AddRow(Markup.Escape(s.Id), Markup.Escape(s.WorkflowId), Markup.Escape(s.Cron is null ? $"every {s.Every}" : $"{s.Cron} {s.TimeZone}"), s.State, s.NextFires.Count > 0 ? $"{s.NextFires[0]:u}" : "", Markup.Escape(last));
        }

        console.Write(table);
    }
}
