using System.CommandLine;
using AgentOrleans.Cli.Commands;
using AgentOrleans.Client.Http;
using Spectre.Console;

namespace AgentOrleans.Cli;

/// <summary>What a command does once its line is parsed, with the API client and console it runs against.</summary>
public delegate Task<int> CliAction(CliContext context, ParseResult parse, CancellationToken cancellationToken);

/// <summary>
/// The <c>agentorleans</c> command line: its commands, the global options, and the one place that turns what goes
/// wrong into a readable message and an exit code (<see cref="ExitCodes"/>).
/// </summary>
public sealed class CliApp
{
    private readonly IAnsiConsole _console;
    private readonly Func<string, string?> _environment;

    private CliApp(IAnsiConsole console, Func<string, string?> environment)
    {
        _console = console;
        _environment = environment;
    }

    public GlobalOptions Globals { get; } = new();

    /// <summary>Runs one command line against the console; <paramref name="environment"/> reads variables (tests pass their own).</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, Func<string, string?> environment, CancellationToken cancellationToken = default)
    {
        var app = new CliApp(console, environment);
        var root = new RootCommand("AgentOrleans: publish workflows, start and watch runs, signal, approve and cancel them.");
        root.Add(app.Globals.Api);
        root.Add(app.Globals.ApiKey);
        root.Add(app.Globals.Output);
        root.Add(WorkflowCommands.Build(app));
        root.Add(RunCommands.Run(app));
        root.Add(RunCommands.Show(app));
        root.Add(RunCommands.Watch(app));
        foreach (var command in ControlCommands.Build(app))
        {
            root.Add(command);
        }

        root.Add(ExecutionCommands.Build(app));
        root.Add(ExecutionCommands.Rerun(app));
        root.Add(ScheduleCommands.Build(app));

        var parse = root.Parse(args);
        var output = console.Profile.Out.Writer;
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                console.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
            }

            console.MarkupLine("Run [bold]agentorleans --help[/] for the commands.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, cancellationToken);
    }

    /// <summary>Gives <paramref name="command"/> an action that runs <paramref name="action"/> with the client its options name.</summary>
    public void Handle(Command command, CliAction action) =>
        command.SetAction((parse, cancellationToken) => InvokeAsync(parse, action, cancellationToken));

    private async Task<int> InvokeAsync(ParseResult parse, CliAction action, CancellationToken cancellationToken)
    {
        var json = parse.GetValue(Globals.Output) == "json";
        var url = parse.GetValue(Globals.Api) ?? _environment(GlobalOptions.UrlVariable) ?? "http://127.0.0.1:5080/";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            _console.MarkupLine($"[red]error:[/] the API's URL '{Markup.Escape(url)}' is not an absolute http(s) URL");
            return ExitCodes.Usage;
        }

        var key = parse.GetValue(Globals.ApiKey) ?? _environment(GlobalOptions.KeyVariable);
        using var http = new HttpClient { BaseAddress = WithSlash(baseAddress), Timeout = Timeout.InfiniteTimeSpan };
        if (key is { Length: > 0 })
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        var context = new CliContext(new AgentOrleansClient(http), _console, json);
        try
        {
            return await action(context, parse, cancellationToken);
        }
        catch (AgentOrleansProblemException problem)
        {
            ProblemOutput.Print(context, problem);
            return ExitCodes.Refused;
        }
        catch (CliUsageException usage)
        {
            _console.MarkupLine($"[red]error:[/] {Markup.Escape(usage.Message)}");
            return ExitCodes.Usage;
        }
        catch (HttpRequestException unreachable)
        {
            _console.MarkupLine($"[red]error:[/] the API at {Markup.Escape(http.BaseAddress!.ToString())} could not be reached: {Markup.Escape(unreachable.Message)}");
            return ExitCodes.Unreachable;
        }
    }

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
