using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>One measurement of one repetition, written as a JSON line like the peer drivers do.</summary>
public sealed record Line(string Scenario, string Variant, string Metric, string Unit, double? Value, JsonObject Settings);

/// <summary>Collects lines and writes benchmarks/results/agentorleans.json in the peers.json format.</summary>
public sealed class ResultSink(string linesPath)
{
    public const string System = "agentorleans";
    /// <summary>embedded-memory by default; run.sh sets AO_BENCH_VARIANT=embedded-postgres for the PostgreSQL run.</summary>
    public static readonly string Variant = Environment.GetEnvironmentVariable("AO_BENCH_VARIANT") ?? "embedded-memory";
    private readonly List<Line> _lines = [];

    /// <summary>Records one measurement; <paramref name="variant"/> overrides <see cref="Variant"/> (S8 names its cluster set-up).</summary>
    public void Add(string scenario, string metric, string unit, double? value, JsonObject settings, string? variant = null)
    {
        variant ??= Variant;
        if (value is { } v && !double.IsFinite(v))
        {
            value = null;
        }

        var line = new Line(scenario, variant, metric, unit, value is { } x ? Stats.Round(x) : null, settings);
        _lines.Add(line);
        var json = new JsonObject
        {
            ["scenario"] = scenario,
            ["system"] = System,
            ["variant"] = variant,
            ["metric"] = metric,
            ["unit"] = unit,
            ["value"] = line.Value,
            ["settings"] = settings.DeepClone(),
        };
        File.AppendAllText(linesPath, json.ToJsonString() + "\n");
        Console.Error.WriteLine($"    {scenario} {(variant == Variant ? "" : variant + " ")}{metric} = {(line.Value is { } lv ? lv.ToString(CultureInfo.InvariantCulture) : "null")} {unit}");
    }

    public void Write(string path, string mode, JsonObject machine, JsonObject versions)
    {
        var figures = new JsonArray();
        foreach (var group in _lines.GroupBy(l => (l.Scenario, l.Variant, l.Metric)).OrderBy(g => g.Key.Scenario, StringComparer.Ordinal))
        {
            var runs = group.Select(l => l.Value).ToList();
            var values = runs.Where(v => v is not null).Select(v => v!.Value).ToList();
            var figure = new JsonObject
            {
                ["scenario"] = group.Key.Scenario,
                ["system"] = System,
                ["variant"] = group.Key.Variant,
                ["metric"] = group.Key.Metric,
                ["unit"] = group.First().Unit,
                ["median"] = values.Count > 0 ? Stats.Round(Stats.Median(values)) : null,
                ["min"] = values.Count > 0 ? values.Min() : null,
                ["max"] = values.Count > 0 ? values.Max() : null,
                ["runs"] = new JsonArray([.. runs.Select(v => (JsonNode?)(v is { } d ? JsonValue.Create(d) : null))]),
                ["settings"] = group.First().Settings.DeepClone(),
            };
            var loads = new JsonArray([.. group.Select(l => (JsonNode?)l.Settings["loadavg_at_start"]?.DeepClone())]);
            ((JsonObject)figure["settings"]!)["loadavg_at_start_runs"] = loads;
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
        File.WriteAllText(path, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.Error.WriteLine($"wrote {path}: {figures.Count} figures");
    }
}
