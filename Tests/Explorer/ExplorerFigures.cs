using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Tests.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static AgentOrleans.Tests.Infrastructure.Runs;
using static Microsoft.Playwright.Assertions;

namespace AgentOrleans.Tests.Explorer;

/// <summary>
/// Figures for docs/explorer.md, not pass/fail targets (Category Figures, outside CI): the time to the first rows of
/// the runs page with 10,000 runs in the index, beside the shell's own load and the list call under it; and the events
/// per second the run page renders from a finished run's log, beside the typed client reading the same stream.
/// Written to benchmarks/results/explorer.json.
/// </summary>
[Collection(ExplorerCollection.Name)]
public sealed class ExplorerFigures(ExplorerFixture fixture, ITestOutputHelper output)
{
    private const int IndexedRuns = 10_000;
    private const int Loads = 5;
    private const int ChainLength = 300;

    [Fact, Trait("Category", "Figures")]
    public async Task FirstRowsWithTenThousandRunsAndEventsRenderedPerSecond()
    {
        await SeedIndexAsync();
        var loads = new List<(double FirstRows, double Shell, double ListCall)>();
        for (var i = 0; i < Loads; i++)
        {
            loads.Add(await FirstRowsAsync());
        }

        var (events, pageSeconds, clientSeconds) = await RenderRateAsync();
        var figures = new JsonObject
        {
            ["machine"] = $"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}",
            ["runs_in_index"] = IndexedRuns,
            ["first_rows_ms_median"] = Median(loads.Select(l => l.FirstRows)),
            ["shell_dom_content_loaded_ms_median"] = Median(loads.Select(l => l.Shell)),
            ["list_call_ms_median"] = Median(loads.Select(l => l.ListCall)),
            ["first_rows_ms_each"] = new JsonArray([.. loads.Select(l => (JsonNode)Math.Round(l.FirstRows, 1))]),
            ["events"] = events,
            ["page_events_per_second"] = Math.Round(events / pageSeconds, 1),
            ["client_events_per_second"] = Math.Round(events / clientSeconds, 1),
            ["page_over_client"] = Math.Round(clientSeconds / pageSeconds, 3),
            ["method"] = $"Chromium headless (Debian's), a fresh context per load of /ui/runs; first rows = performance.now() when the first row is in the DOM; run page = a finished {ChainLength}-node chain opened after its end, until every event is in the timeline; floor = the typed client reading the same SSE stream",
        };
        var path = Path.Combine(RepositoryFiles.Root, "benchmarks", "results", "explorer.json");
        await File.WriteAllTextAsync(path, figures.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        output.WriteLine(figures.ToJsonString());
        Assert.All(loads, l => Assert.True(l.FirstRows > 0));
    }

    private async Task SeedIndexAsync()
    {
        var index = fixture.Api.Services.GetRequiredService<IExecutionIndex>();
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForAsync(0, IndexedRuns, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await index.UpsertAsync(
                new ExecutionSummary(TenantKey.DefaultTenant, $"figures-{i:D5}-{Guid.NewGuid():N}", "figures", 1, ExecutionStatus.Succeeded, now.AddSeconds(-i), 1) { CompletedAt = now.AddSeconds(-i) },
                ct));
    }

    private async Task<(double FirstRows, double Shell, double ListCall)> FirstRowsAsync()
    {
        await using var explorer = await ExplorerPage.OpenAsync(fixture);
        var page = explorer.Page;
        (double, double, double) timings = default;
        await explorer.RunAsync(nameof(FirstRowsAsync), async _ =>
        {
            await page.GotoAsync("/ui/runs");
            await page.Locator("tr[data-run]").First.WaitForAsync(new() { Timeout = 30_000 });
            var firstRows = await page.EvaluateAsync<double>("performance.now()");
            var shell = await page.EvaluateAsync<double>("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd");
            var list = await page.EvaluateAsync<double>("Math.min(...performance.getEntriesByType('resource').filter(e => e.name.includes('/v1/executions')).map(e => e.duration))");
            timings = (firstRows, shell, list);
        });
        explorer.AssertNoConsoleErrors();
        return timings;
    }

    private async Task<(long Events, double PageSeconds, double ClientSeconds)> RenderRateAsync()
    {
        var nodes = new JsonObject();
        for (var i = 0; i < ChainLength; i++)
        {
            nodes[$"n{i:D3}"] = Node("test.count");
        }

        var id = await ExplorerRuns.StartAsync(fixture.Client, nodes);
        var done = await fixture.Client.WaitAsync(id, new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);

        var clock = Stopwatch.StartNew();
        var read = 0;
        await foreach (var _ in fixture.Client.WatchAsync(id, cancellationToken: new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token))
        {
            read++;
        }

        var clientSeconds = clock.Elapsed.TotalSeconds;
        await using var explorer = await ExplorerPage.OpenAsync(fixture);
        var page = explorer.Page;
        double pageSeconds = 0;
        await explorer.RunAsync(nameof(RenderRateAsync), async _ =>
        {
            await page.GotoAsync($"/ui/runs/{id}");
            await Expect(page.Locator("#timeline li")).ToHaveCountAsync((int)done.LastSeq, new() { Timeout = 60_000 });
            pageSeconds = await page.EvaluateAsync<double>("performance.now()") / 1000;
        });
        explorer.AssertNoConsoleErrors();
        Assert.Equal(done.LastSeq, read);
        return (done.LastSeq, pageSeconds, clientSeconds);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return Math.Round(sorted[sorted.Count / 2], 1);
    }
}
