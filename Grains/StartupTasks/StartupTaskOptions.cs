using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace AgentOrleans.Grains.StartupTasks;

/// <summary>
/// The run-once startup tasks, section <c>AgentOrleans:StartupTasks</c>: one subsection per task name with
/// <c>WorkflowId</c>, <c>Version</c> (default the latest), <c>Input</c> (a JSON text, or an object whose values are
/// strings), <c>RunKey</c> (the task runs once per cluster per value; change it to run again) and <c>GatesReadiness</c>
/// (default false: <c>/readyz</c> answers 503 until the task succeeded). None by default.
/// </summary>
public sealed partial class StartupTaskOptions
{
    public const string SectionName = "AgentOrleans:StartupTasks";

    private static readonly string[] Keys = ["WorkflowId", "Version", "Input", "RunKey", "GatesReadiness"];

    public Dictionary<string, StartupTask> Tasks { get; } = new(StringComparer.Ordinal);

    /// <summary>Every problem of the section, each naming its key; a task with a problem is left out of <see cref="Tasks"/>.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Reads the section by hand: <c>Input</c> is free-form JSON, and every problem must name its key.</summary>
    public static void Read(IConfiguration configuration, StartupTaskOptions options)
    {
        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            if (ReadTask(section, options.Problems) is { } task)
            {
                options.Tasks[task.Name] = task;
            }
        }
    }

    private static StartupTask? ReadTask(IConfigurationSection section, List<string> problems)
    {
        var before = problems.Count;
        var name = section.Key;
        if (!TaskName().IsMatch(name))
        {
            problems.Add($"{section.Path}: a task name starts with a letter or digit and holds only letters, digits, '.', '_' and '-' (at most 64)");
        }

        foreach (var unknown in section.GetChildren().Where(c => !Keys.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
        {
            problems.Add($"{unknown.Path}: unknown setting (known: {string.Join(", ", Keys)})");
        }

        var workflowId = section["WorkflowId"];
        if (string.IsNullOrWhiteSpace(workflowId))
        {
            problems.Add($"{section.Path}:WorkflowId is required");
        }

        var runKey = section["RunKey"];
        if (string.IsNullOrWhiteSpace(runKey))
        {
            problems.Add($"{section.Path}:RunKey is required (the task runs once per cluster per run key)");
        }

        int? version = null;
        if (section["Version"] is { } versionText)
        {
            version = int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1 ? v : null;
            if (version is null)
            {
                problems.Add($"{section.Path}:Version must be a version number (1 or more), not '{versionText}'");
            }
        }

        var gates = false;
        if (section["GatesReadiness"] is { } gatesText && !bool.TryParse(gatesText, out gates))
        {
            problems.Add($"{section.Path}:GatesReadiness must be true or false, not '{gatesText}'");
        }

        var input = ReadInput(section.GetSection("Input"), problems);
        return problems.Count > before ? null : new StartupTask(name, workflowId!, version, input, runKey!, gates);
    }

    /// <summary>A value is JSON text; an object's leaves are strings (configuration holds no other type), arrays where keys are 0, 1, 2…</summary>
    private static string? ReadInput(IConfigurationSection input, List<string> problems)
    {
        // Children first: some configuration sources (host settings chained into the app's) also report the section itself with an empty value.
        if (input.GetChildren().Any())
        {
            return Tree(input)!.ToJsonString();
        }

        if (input.Value is { Length: > 0 } text)
        {
            try
            {
                return JsonNode.Parse(text)?.ToJsonString();
            }
            catch (JsonException ex)
            {
                problems.Add($"{input.Path} is not JSON: {ex.Message}");
                return null;
            }
        }

        return null;
    }

    private static JsonNode? Tree(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? null : JsonValue.Create(section.Value);
        }

        var indexes = children.Select(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1).ToList();
        if (indexes.Order().SequenceEqual(Enumerable.Range(0, children.Count)))
        {
            return new JsonArray([.. children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)).Select(Tree)]);
        }

        var obj = new JsonObject();
        foreach (var child in children)
        {
            obj[child.Key] = Tree(child);
        }

        return obj;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex TaskName();
}
