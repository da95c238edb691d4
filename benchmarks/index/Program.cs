using System.Text.Json;
using AgentOrleans.Benchmarks.Index;
using AgentOrleans.Grains.Index;

// dotnet IndexBench.dll --postgres CONNECTION [--smoke] [--out FILE]
var postgres = Argument("--postgres") ?? throw new ArgumentException("--postgres <Npgsql connection string> is required");
var smoke = args.Contains("--smoke");
var output = Argument("--out") ?? "benchmarks/results/index.json";

await using var database = new IndexDatabase(postgres);
var list = await ListLatency.RunAsync(database, rows: smoke ? 20_000 : 1_000_000, iterations: smoke ? 50 : 2000);
Console.WriteLine(JsonSerializer.Serialize(list));
var storage = await RunsOnPostgres.RunAsync(postgres, database, runs: smoke ? 20 : 1000);
Console.WriteLine(JsonSerializer.Serialize(storage));
var results = new Dictionary<string, object>
{
    ["smoke"] = smoke,
    ["at"] = DateTimeOffset.UtcNow,
    ["processors"] = Environment.ProcessorCount,
    ["list"] = list,
    ["runs"] = storage,
};
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(results, Json.Indented));

string? Argument(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

internal static class Json
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
