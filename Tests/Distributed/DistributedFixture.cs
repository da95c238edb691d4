using System.Diagnostics;
using Npgsql;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

/// <summary>
/// Real Redis and PostgreSQL for the distributed tests, from <c>AO_REDIS</c>/<c>AO_POSTGRES</c> when
/// test.sh started them, else started here with the repo's scripts (so the tests also run alone).
/// The database is emptied once per fixture; each test then starts its own silo processes under a
/// fresh cluster and service id, so no test sees another's silos, grains or reminders.
/// </summary>
public sealed class DistributedFixture : IAsyncLifetime
{
    public string Redis { get; private set; } = "";

    public string Postgres { get; private set; } = "";

    public static string RepoRoot { get; } = FindRepoRoot();

    private readonly List<string> _startedHere = [];

    public async Task InitializeAsync()
    {
        Redis = await ServerAsync("AO_REDIS", "redis.sh");
        Postgres = await ServerAsync("AO_POSTGRES", "postgres.sh");
        await ResetDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        SiloProcess.KillAll();
        foreach (var script in _startedHere)
        {
            await ScriptAsync(script, "stop");
        }
    }

    /// <summary>Starts <paramref name="silos"/> silo processes and a client joined to them.</summary>
    public Task<SiloCluster> StartClusterAsync(int silos, Membership membership, ITestOutputHelper output, IReadOnlyDictionary<string, string>? settings = null) =>
        SiloCluster.StartAsync(this, silos, membership, output, settings);

    /// <summary>Runs scripts/<paramref name="script"/> and returns its last stdout line (a connection string for start).</summary>
    public static async Task<string> ScriptAsync(string script, string verb)
    {
        var info = new ProcessStartInfo(Path.Combine(RepoRoot, "scripts", script), verb)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoRoot,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/{script} {verb} exited {process.ExitCode}: {await stderr}");
        }

        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
    }

    /// <summary>The server test.sh started (its connection string in <paramref name="variable"/>), else one started, and later stopped, here.</summary>
    private async Task<string> ServerAsync(string variable, string script)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } given)
        {
            return given;
        }

        var started = await ScriptAsync(script, "start");
        _startedHere.Add(script);
        return started;
    }

    private async Task ResetDatabaseAsync()
    {
        // Grain state and reminders are keyed by service id, which is fresh per test; emptying them
        // anyway keeps the database small and rules out a stale reminder reviving an old run.
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var truncate = new NpgsqlCommand("TRUNCATE orleansstorage, orleansreminderstable", connection);
        await truncate.ExecuteNonQueryAsync();
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentOrleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no AgentOrleans.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>Failure-detection settings the silos run with.</summary>
public enum Membership
{
    /// <summary>Orleans' defaults (probe timeout 5 s, 3 missed probes, 2 votes).</summary>
    Default,

    /// <summary>Probe timeout 1 s, 2 missed probes, 1 vote, response timeout 5 s.</summary>
    Tuned,
}

[CollectionDefinition(Name)]
public sealed class DistributedCollection : ICollectionFixture<DistributedFixture>
{
    public const string Name = "distributed";
}
