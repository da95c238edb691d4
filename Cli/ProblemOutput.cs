using AgentOrleans.Client.Http;
using Spectre.Console;

namespace AgentOrleans.Cli;

/// <summary>An API problem, readably: its status and detail, then each error with its pointer (or as JSON for scripts).</summary>
public static class ProblemOutput
{
    public static void Print(CliContext context, AgentOrleansProblemException problem)
    {
        if (context.Json)
        {
            context.PrintJson(new { status = (int)problem.Status, problem.Title, problem.Detail, errors = problem.Errors });
            return;
        }

        var console = context.Console;
        console.MarkupLine($"[red]{(int)problem.Status} {Markup.Escape(problem.Title ?? "")}[/]{(problem.Detail is null ? "" : ": " + Markup.Escape(problem.Detail))}");
        foreach (var error in problem.Errors)
        {
            console.MarkupLine($"  [yellow]{Markup.Escape(error.Pointer.Length == 0 ? "(body)" : error.Pointer)}[/]  {Markup.Escape(error.Detail)}");
        }

        if (problem.RetryAfter is { } retry)
        {
            console.MarkupLine($"  try again after {retry.TotalSeconds:0} s");
        }
    }
}
