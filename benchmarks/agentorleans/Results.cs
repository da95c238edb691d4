using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>Collects lines, appends each to a JSON-lines file as it is measured (like the peer drivers), and writes benchmarks/results/agentorleans.json.</summary>
public sealed class ResultSink(string linesPath)
{
    public const string System = "agentorleans";
    /// <summary>embedded-memory by default; run.sh sets AO_BENCH_VARIANT=embedded-postgres for the PostgreSQL run.</summary>
    public static readonly string Variant = Environment.GetEnvironmentVariable("AO_BENCH_VARIANT") ?? "embedded-memory";
    private readonly List<Line> _lines = [];

    /// <summary>The variant recorded when a scenario names none; <see cref="Variant"/> when null (S9 names auth on and off).</summary>
    public string? VariantOverride { get; set; }

    /// <summary>Records one measurement; <paramref name="variant"/> overrides <see cref="Variant"/> (S8 names its cluster set-up).</summary>
    public void Add(string scenario, string metric, string unit, double? value, JsonObject settings, string? variant = null)
    {
        variant ??= VariantOverride ?? Variant;
        var line = new Line(scenario, variant, metric, unit, FiguresFile.Recorded(value), settings);
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
        FiguresFile.Echo($"{scenario} {(variant == Variant ? "" : variant + " ")}{metric}", line.Value, unit);
    }

    /// <summary>The last value recorded for the scenario, metric and variant.</summary>
    public double? Last(string scenario, string metric, string variant) =>
        _lines.LastOrDefault(l => l.Scenario == scenario && l.Metric == metric && l.Variant == variant)?.Value;

    public void Write(string path, string mode, JsonObject machine, JsonObject versions) =>
        FiguresFile.Write(path, System, mode, machine, versions, _lines);
}
