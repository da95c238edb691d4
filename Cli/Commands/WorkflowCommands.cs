using System.CommandLine;
using System.Text.Json.Nodes;
using AgentOrleans.Client.Http;
using Spectre.Console;
using YamlDotNet.Serialization;

namespace AgentOrleans.Cli.Commands;

/// <summary><c>workflows publish FILE|DIR</c>, <c>workflows list</c>, <c>workflows show ID</c>.</summary>
public static class WorkflowCommands
{
    private static readonly string[] Extensions = [".json", ".yaml", ".yml"];

    public static Command Build(CliApp app)
    {
        var workflows = new Command("workflows", "Publish and read workflow definitions");

        var path = new Argument<string>("path") { Description = "A definition (.json, .yaml) or a folder of them" };
        var publish = new Command("publish", "Publish a definition, or every definition in a folder") { path };
        app.Handle(publish, (context, parse, cancellationToken) => PublishAsync(context, parse.GetValue(path)!, cancellationToken));
        workflows.Add(publish);

        var id = new Argument<string>("id") { Description = "The workflow's id" };
        var version = new Option<int?>("--version") { Description = "A version (default: the latest)" };
        var show = new Command("show", "Print a published definition") { id, version };
        app.Handle(show, async (context, parse, cancellationToken) =>
        {
            var definition = await context.Client.GetWorkflowAsync(parse.GetValue(id)!, parse.GetValue(version), cancellationToken);
            context.Print(definition, (console, d) => console.WriteLine(d.ToJsonString(JsonOutput.Options)));
            return ExitCodes.Ok;
        });
        workflows.Add(show);

        var list = new Command("list", "List the published workflows, each with its latest version");
        app.Handle(list, async (context, _, cancellationToken) =>
        {
            var all = new List<WorkflowListItem>();
            string? cursor = null;
            do
            {
                var page = await context.Client.ListWorkflowsAsync(cursor, 500, cancellationToken);
                all.AddRange(page.Items);
                cursor = page.NextCursor;
            }
            while (cursor is not null);

            context.Print(all, PrintTable);
            return ExitCodes.Ok;
        });
        workflows.Add(list);
        return workflows;
    }

    private static async Task<int> PublishAsync(CliContext context, string path, CancellationToken cancellationToken)
    {
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList()
            : File.Exists(path) ? [path] : throw new CliUsageException($"'{path}' is neither a file nor a folder");
        var published = new List<PublishedWorkflow>();
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(file, cancellationToken);
            var yaml = !file.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
            var id = IdOf(text, yaml) ?? throw new CliUsageException($"{file}: the definition has no top-level \"id\"");
            var answer = await context.Client.PublishWorkflowAsync(id, text, yaml ? "application/yaml" : "application/json", cancellationToken);
            published.Add(answer);
            if (!context.Json)
            {
                context.Console.MarkupLine($"{Markup.Escape(answer.Id)} version {answer.Version} {(answer.Created ? "[green]published[/]" : "[grey]unchanged[/]")} ({Markup.Escape(Path.GetFileName(file))})");
            }
        }

        if (context.Json)
        {
            context.PrintJson(published);
        }

        return ExitCodes.Ok;
    }

    private static void PrintTable(IAnsiConsole console, IReadOnlyList<WorkflowListItem> workflows)
    {
        var table = new Table().AddColumns("id", "latest", "updated", "description");
        foreach (var w in workflows)
        {
            table.AddRow(Markup.Escape(w.Id), $"v{w.LatestVersion}", $"{w.UpdatedAt:u}", Markup.Escape(w.Description ?? ""));
        }

        console.Write(table);
    }

    // The id is read here only to address the PUT; the API parses and validates the definition itself.
    private static string? IdOf(string text, bool yaml)
    {
        try
        {
            return yaml
                ? new DeserializerBuilder().Build().Deserialize<Dictionary<string, object?>>(text)?.GetValueOrDefault("id") as string
                : (JsonNode.Parse(text) as JsonObject)?["id"] is JsonValue value && value.TryGetValue<string>(out var id) ? id : null;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or YamlDotNet.Core.YamlException)
        {
            throw new CliUsageException($"the definition cannot be read: {ex.Message}");
        }
    }
}
