using System.CommandLine;
using AgentOrleans.Client.Http;
using Spectre.Console;

namespace AgentOrleans.Cli.Commands;

/// <summary><c>cancel</c>, <c>pause</c>, <c>resume</c>, <c>signal</c> and <c>approve</c>: act on a running execution.</summary>
public static class ControlCommands
{
    public static IEnumerable<Command> Build(CliApp app)
    {
        var reason = new Option<string?>("--reason") { Description = "Why, recorded with the cancellation" };
        yield return Act(app, "cancel", "Cancel an execution (durable, idempotent)", [reason], async (context, parse, id, cancellationToken) =>
        {
            var answer = await context.Client.CancelAsync(id, parse.GetValue(reason), cancellationToken);
            context.Print(answer, (console, a) => console.MarkupLine($"{Markup.Escape(a.Id)} {(a.Accepted ? "[yellow]cancel requested[/]" : Markup.Escape(a.Message))}"));
        });
        yield return Act(app, "pause", "Pause an execution at its next node boundary", [], async (context, _, id, cancellationToken) =>
            PrintControl(context, await context.Client.PauseAsync(id, cancellationToken)));
        yield return Act(app, "resume", "Resume a paused execution", [], async (context, _, id, cancellationToken) =>
            PrintControl(context, await context.Client.ResumeAsync(id, cancellationToken)));

        var name = new Argument<string>("name") { Description = "The signal's name" };
        var payload = new Argument<string?>("payload") { Description = "Its JSON payload, or @file", Arity = ArgumentArity.ZeroOrOne };
        var key = new Option<string?>("--idempotency-key") { Description = "The same key is taken once" };
        yield return Act(app, "signal", "Send a signal to an execution", [name, payload, key], async (context, parse, id, cancellationToken) =>
        {
            var answer = await context.Client.SignalAsync(id, parse.GetValue(name)!, InputValue.Read(parse.GetValue(payload)), parse.GetValue(key), cancellationToken);
            context.Print(answer, (console, a) => console.MarkupLine($"{Markup.Escape(a.Id)} {Markup.Escape(a.Signal)} {(a.Taken ? "[green]taken[/]" : "[grey]already taken[/]")}"));
        });

        var toolCall = new Argument<string>("toolCall") { Description = "The id of the tool call waiting for approval" };
        var reject = new Option<bool>("--reject") { Description = "Reject the call instead" };
        var comment = new Option<string?>("--comment") { Description = "A comment (a rejection's reaches the model)" };
        var arguments = new Option<string?>("--arguments") { Description = "Approve with these arguments instead (JSON or @file)" };
        yield return Act(app, "approve", "Approve (or --reject) an agent's tool call", [toolCall, reject, comment, arguments], async (context, parse, id, cancellationToken) =>
        {
            var approved = !parse.GetValue(reject);
            var answer = await context.Client.ApproveAsync(id, parse.GetValue(toolCall)!, approved, InputValue.Read(parse.GetValue(arguments)), parse.GetValue(comment), cancellationToken);
            context.Print(answer, (console, a) => console.MarkupLine($"{Markup.Escape(a.Id)} {Markup.Escape(parse.GetValue(toolCall)!)} {(approved ? "[green]approved[/]" : "[yellow]rejected[/]")}"));
        });
    }

    private static Command Act(CliApp app, string name, string description, Symbol[] symbols, Func<CliContext, ParseResult, string, CancellationToken, Task> act)
    {
        var id = new Argument<string>("id") { Description = "The execution's id" };
        var command = new Command(name, description) { id };
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Add(argument);
                    break;
                case Option option:
                    command.Add(option);
                    break;
            }
        }

        app.Handle(command, async (context, parse, cancellationToken) =>
        {
            await act(context, parse, parse.GetValue(id)!, cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void PrintControl(CliContext context, ControlAnswer answer) =>
        context.Print(answer, (console, a) => console.MarkupLine($"{Markup.Escape(a.Id)} {Markup.Escape(a.Message)}"));
}
