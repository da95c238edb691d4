using System.Globalization;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.StartupTasks;
using AgentOrleans.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

/// <summary>
/// A startup task on three silo processes (Redis membership, PostgreSQL state): it runs once when they start together,
/// not again when they all restart, and again for a new run key. Its run calls a local HTTP server, which counts the runs.
/// The task's workflow is itself published by a startup task (the built-in publish workflow), as on a fresh cluster.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class StartupTaskTests(DistributedFixture servers, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Task = "hit";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly LocalHttpServer _server = new();
    private readonly DirectoryInfo _definitions = Directory.CreateTempSubdirectory("ao-startup-");
    private readonly string _key = $"startup-{Guid.NewGuid():N}";

    public Task InitializeAsync() => _server.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _definitions.Delete(recursive: true);
    }

    [Fact]
    public async Task ThreeSilosStartingAtOnceRunATaskOnceNotAgainAfterARestartAndAgainForANewRunKey()
    {
        var workflowId = $"wf-{_key}";
        await File.WriteAllTextAsync(Path.Combine(_definitions.FullName, "hit.json"), new JsonObject
        {
            ["id"] = workflowId,
            ["start"] = "call",
            ["nodes"] = new JsonObject { ["call"] = new JsonObject { ["type"] = "http", ["with"] = new JsonObject { ["url"] = $"{_server.BaseUrl}/ok/{_key}" } } },
            ["edges"] = new JsonArray(),
        }.ToJsonString());
        await using var cluster = await servers.StartClusterAsync(3, Membership.Tuned, output, Settings(workflowId, "v1"));

        var first = await FinishedAsync(cluster, "v1");
        await AllSilosLoggedAsync(cluster, cluster.Silos, "v1");
        Assert.Equal((StartupTaskStatus.Succeeded, StartupTaskIds.Execution(Task, "v1")), (first.Status, first.ExecutionId));
        Assert.Equal(1, Hits());

        var restarted = await RestartAllAsync(cluster, Settings(workflowId, "v1"));
        await AllSilosLoggedAsync(cluster, restarted, "v1");
        Assert.Equal(1, Hits());

        var changed = await RestartAllAsync(cluster, Settings(workflowId, "v2"));
        var second = await FinishedAsync(cluster, "v2");
        await AllSilosLoggedAsync(cluster, changed, "v2");
        Assert.Equal((StartupTaskStatus.Succeeded, StartupTaskIds.Execution(Task, "v2")), (second.Status, second.ExecutionId));
        Assert.Equal(2, Hits());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run key v1: 1 run for 6 silo starts; run key v2: 1 more run for 3 silo starts; {Hits()} calls in all"));
    }

    private int Hits() => _server.Requests.GetValueOrDefault(_key);

    private Dictionary<string, string> Settings(string workflowId, string runKey) => new()
    {
        ["AgentOrleans__Http__AllowedHosts__0"] = "127.0.0.1",
        ["AgentOrleans__StartupTaskRunner__PollInterval"] = "00:00:00.200",
        ["AgentOrleans__StartupTasks__definitions__WorkflowId"] = BuiltInWorkflows.PublishWorkflows,
        ["AgentOrleans__StartupTasks__definitions__Input__directory"] = _definitions.FullName,
        ["AgentOrleans__StartupTasks__definitions__RunKey"] = "1",
        [$"AgentOrleans__StartupTasks__{Task}__WorkflowId"] = workflowId,
        [$"AgentOrleans__StartupTasks__{Task}__RunKey"] = runKey,
        [$"AgentOrleans__StartupTasks__{Task}__GatesReadiness"] = "true",
    };

    private static async Task<StartupTaskView> FinishedAsync(SiloCluster cluster, string runKey)
    {
        StartupTaskView? view = null;
        var finished = await DistributedRuns.PollAsync(Deadline, async () =>
        {
            view = await cluster.Client.GetGrain<IStartupTaskGrain>(Task).GetAsync().WaitAsync(DistributedRuns.CallTimeout);
            return view is { IsFinished: true } && view.RunKey == runKey;
        });
        Assert.True(finished, $"expected task {Task} to finish for run key {runKey}; last seen {view?.RunKey} {view?.Status}: {view?.Message}\n{cluster.LogTails()}");
        return view!;
    }

    /// <summary>Every one of <paramref name="silos"/> asked the task to run and found it succeeded for the run key: none is still to ask.</summary>
    private static async Task AllSilosLoggedAsync(SiloCluster cluster, List<SiloProcess> silos, string runKey)
    {
        var line = $"Startup task {Task} has succeeded (run key {runKey},";
        var logged = await Polling.UntilAsync(() => silos.All(s => Log(s).Contains(line, StringComparison.Ordinal)), Deadline, DistributedRuns.PollInterval);
        Assert.True(logged, $"expected each of {silos.Count} silos to log '{line}'\n{cluster.LogTails()}");
    }

    private static string Log(SiloProcess silo)
    {
        using var reader = new StreamReader(new FileStream(silo.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd();
    }

    /// <summary>Stops every silo (SIGTERM, a graceful stop) and starts three new ones with <paramref name="settings"/>, all at once.</summary>
    private static async Task<List<SiloProcess>> RestartAllAsync(SiloCluster cluster, Dictionary<string, string> settings)
    {
        var running = cluster.Silos.Where(s => !s.HasExited).ToList();
        running.ForEach(s => s.Terminate());
        foreach (var silo in running)
        {
            Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)), $"expected silo {silo.Index} to stop on SIGTERM\n{cluster.LogTails()}");
        }

        return await cluster.AddSilosAsync(3, settings);
    }
}
