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
    private const int Loads = 11;
    private const int ChainLength = 300;

    [Fact, Trait("Category", "Figures")]
    public async Task FirstRowsWithTenThousandRunsAndEventsRenderedPerSecond()
    {
        await SeedIndexAsync();
        // One load first, not counted: it pays the Api's JIT for /ui and the listing, which a running Api paid long ago.
        var warmUp = await FirstRowsAsync();
        var loadBefore = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var loads = new List<Load>();
        for (var i = 0; i < Loads; i++)
        {
            loads.Add(await FirstRowsAsync());
        }

        var (events, pageSeconds, clientSeconds) = await RenderRateAsync();
        var figures = new JsonObject
        {
            ["machine"] = $"{Environment.ProcessorCount} cores, load average {loadBefore} before the loads, {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end",
            ["runs_in_index"] = IndexedRuns,
            ["first_rows_ms_median"] = Median(loads.Select(l => l.FirstRows)),
            ["first_rows_ms_each"] = new JsonArray([.. loads.Select(l => (JsonNode)Math.Round(l.FirstRows, 1))]),
            ["warm_up_first_rows_ms"] = Math.Round(warmUp.FirstRows, 1),
            ["first_rows_in_page_ms_median"] = Median(loads.Select(l => l.FirstRowsInPage)),
            ["first_rows_in_page_ms_each"] = new JsonArray([.. loads.Select(l => (JsonNode)Math.Round(l.FirstRowsInPage, 1))]),
            ["shell_dom_content_loaded_ms_median"] = Median(loads.Select(l => l.Shell)),
            ["shell_html_response_end_ms_median"] = Median(loads.Select(l => l.Html)),
            ["shell_last_module_response_end_ms_median"] = Median(loads.Select(l => l.LastModule)),
            ["shell_modules_loaded"] = loads[0].Modules,
            ["list_call_start_ms_median"] = Median(loads.Select(l => l.ListStart)),
            ["list_call_ms_median"] = Median(loads.Select(l => l.ListCall)),
            ["counts_call_ms_median"] = Median(loads.Select(l => l.CountsCall)),
            ["api_calls_when_rows_seen"] = loads[0].Calls,
            ["resources_of_the_last_load"] = JsonNode.Parse(loads[^1].Resources),
            ["events"] = events,
            ["page_events_per_second"] = Math.Round(events / pageSeconds, 1),
            ["client_events_per_second"] = Math.Round(events / clientSeconds, 1),
            ["page_over_client"] = Math.Round(clientSeconds / pageSeconds, 3),
            ["method"] = $"Chromium headless (Debian's), a fresh context per load of /ui/runs; first rows = performance.now() once the test sees the first row in the DOM (in page: performance.now() in a mutation observer the test adds, when the first row enters the DOM); shell = the navigation entry and resource timings; run page = a finished {ChainLength}-node chain opened after its end, until every event is in the timeline; floor = the typed client reading the same SSE stream",
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

    private async Task<Load> FirstRowsAsync()
    {
        await using var explorer = await ExplorerPage.OpenAsync(fixture);
        var page = explorer.Page;
        // The page's clock when the first row enters the DOM, taken in the page (a mutation observer runs right after
        // the change), so the figure holds none of the test's own polling and round trips, and needs nothing of the page.
        await page.Context.AddInitScriptAsync(
            """
            new MutationObserver((changes, observer) => {
              if (document.querySelector('tr[data-run]')) { window.__firstRowsAt = performance.now(); observer.disconnect(); }
            }).observe(document, { childList: true, subtree: true });
            """);
        Load? load = null;
        await explorer.RunAsync(nameof(FirstRowsAsync), async _ =>
        {
            await page.GotoAsync("/ui/runs");
            await page.Locator("tr[data-run]").First.WaitForAsync(new() { Timeout = 30_000 });
            var seen = await page.EvaluateAsync<double>("performance.now()");
            // The browser's own timings: where the shell's time goes (the HTML, the modules) and the calls under the rows.
            var timings = await page.EvaluateAsync<JsonElement>(
                """
                () => {
                  const nav = performance.getEntriesByType('navigation')[0];
                  const resources = performance.getEntriesByType('resource');
                  const path = (e) => new URL(e.name).pathname;
                  const modules = resources.filter((e) => path(e).startsWith('/ui/') && path(e).endsWith('.js'));
                  const list = resources.filter((e) => path(e) === '/v1/executions');
                  const counts = resources.filter((e) => path(e) === '/v1/executions/counts');
                  return {
                    html: nav.responseEnd, shell: nav.domContentLoadedEventEnd, modules: modules.length,
                    lastModule: Math.max(0, ...modules.map((e) => e.responseEnd)),
                    listStart: list.length ? list[0].startTime : -1, list: list.length ? list[0].duration : -1,
                    counts: counts.length ? counts[0].duration : -1, calls: list.length + counts.length,
                    inPage: window.__firstRowsAt ?? -1,
                    resources: JSON.stringify(resources.map((e) => ({ path: path(e), start: Math.round(e.startTime), end: Math.round(e.responseEnd) }))),
                  };
                }
                """);
            double Get(string name) => timings.GetProperty(name).GetDouble();
            load = new Load(seen, Get("inPage"), Get("shell"), Get("html"), Get("lastModule"), (int)Get("modules"), Get("listStart"), Get("list"), Get("counts"), (int)Get("calls"), timings.GetProperty("resources").GetString()!);
        });
        explorer.AssertNoConsoleErrors();
        return load!;
    }

    /// <summary>One fresh load of the runs page, in ms from navigation start (a field is -1 when the page had no such entry).</summary>
    private sealed record Load(double FirstRows, double FirstRowsInPage, double Shell, double Html, double LastModule, int Modules, double ListStart, double ListCall, double CountsCall, int Calls, string Resources);

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
