using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>One measurement of one repetition.</summary>
public sealed record Line(string Scenario, string Variant, string Metric, string Unit, double? Value, JsonObject Settings);

/// <summary>
/// Writes a results file in the format of benchmarks/results/peers.json, which report.py reads:
/// per (scenario, variant, metric) the median of the repetitions, min–max, every run, the first
/// run's settings and each run's load average. Shared by the load tool and the Orleans floor.
/// </summary>
public static class FiguresFile
{
    public static void Write(string path, string system, string mode, JsonObject machine, JsonObject versions, IReadOnlyList<Line> lines)
    {
        var figures = new JsonArray();
        foreach (var group in lines.GroupBy(l => (l.Scenario, l.Variant, l.Metric)).OrderBy(g => g.Key.Scenario, StringComparer.Ordinal))
        {
            var runs = group.Select(l => l.Value).ToList();
            var values = runs.Where(v => v is not null).Select(v => v!.Value).ToList();
            var settings = (JsonObject)group.First().Settings.DeepClone();
            settings["loadavg_at_start_runs"] = new JsonArray([.. group.Select(l => (JsonNode?)l.Settings["loadavg_at_start"]?.DeepClone())]);
            var figure = new JsonObject
            {
                ["scenario"] = group.Key.Scenario,
                ["system"] = system,
                ["variant"] = group.Key.Variant,
                ["metric"] = group.Key.Metric,
                ["unit"] = group.First().Unit,
                ["median"] = values.Count > 0 ? Stats.Round(Stats.Median(values)) : null,
                ["min"] = values.Count > 0 ? values.Min() : null,
                ["max"] = values.Count > 0 ? values.Max() : null,
                ["runs"] = new JsonArray([.. runs.Select(v => (JsonNode?)(v is { } d ? JsonValue.Create(d) : null))]),
                ["settings"] = settings,
            };
            if (values.Count < runs.Count)
            {
                figure["note"] = "null runs: the measurement did not complete within its bound";
            }

            figures.Add(figure);
        }

        var doc = new JsonObject
        {
            ["generated_at"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["mode"] = mode,
            ["machine"] = machine,
            ["versions"] = versions,
            ["figures"] = figures,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        Console.Error.WriteLine($"wrote {path}: {figures.Count} figures");
    }

    /// <summary>A measured value as recorded: rounded, and null when it is not a number (the measurement did not complete).</summary>
    public static double? Recorded(double? value) => value is { } v && double.IsFinite(v) ? Stats.Round(v) : null;

    /// <summary>Echoes a measurement to stderr as it is recorded.</summary>
    public static void Echo(string label, double? value, string unit) =>
        Console.Error.WriteLine($"    {label} = {(value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "null")} {unit}");
}
