using System.Globalization;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static AgentOrleans.Tests.Infrastructure.Runs;
using static Microsoft.Playwright.Assertions;

namespace AgentOrleans.Tests.Explorer;

/// <summary>
/// The runs list over rows written straight into the index (a workflow id of their own keeps them apart): "load more"
/// pages on with the cursor; the date and label filters narrow the rows and the counts; a bad date shows the 400.
/// </summary>
[Collection(ExplorerCollection.Name)]
public sealed class ExplorerRunsListTests(ExplorerFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private async Task<List<string>> SeedAsync(string workflowId, int count, Func<int, IReadOnlyDictionary<string, string>>? labels = null, ExecutionStatus status = ExecutionStatus.Succeeded)
    {
        var index = fixture.Api.Services.GetRequiredService<IExecutionIndex>();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = $"{workflowId}-{i:D3}";
            await index.UpsertAsync(new ExecutionSummary(TenantKey.DefaultTenant, id, workflowId, 1, status, T0.AddHours(i), 1) { Labels = labels?.Invoke(i) ?? new Dictionary<string, string>() });
            ids.Add(id);
        }

        return ids;
    }

    [Fact]
    public async Task LoadMoreShowsTheNextPageUntilThereIsNone()
    {
        var workflowId = NewId("wf");
        var ids = await SeedAsync(workflowId, 60);
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        await explorer.RunAsync(nameof(LoadMoreShowsTheNextPageUntilThereIsNone), async page =>
        {
            await page.GotoAsync($"/ui/runs?workflowId={workflowId}");
            await Expect(page.Locator("tbody tr")).ToHaveCountAsync(50);
            await Expect(page.Locator("tbody tr").First).ToHaveAttributeAsync("data-run", ids[^1]);
            await Expect(page.Locator("#counts li[data-status='succeeded']")).ToHaveTextAsync("succeeded 60");
            var more = page.GetByRole(AriaRole.Button, new() { Name = "Load more" });
            await more.ClickAsync();

            await Expect(page.Locator("tbody tr")).ToHaveCountAsync(60);
            await Expect(more).ToBeHiddenAsync();
            var shown = await page.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.run)");
            Assert.Equal(ids.AsEnumerable().Reverse(), shown);
        });
        explorer.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task TheDateAndLabelFiltersNarrowTheRowsAndTheCounts()
    {
        var workflowId = NewId("wf");
        var ids = await SeedAsync(workflowId, 5, i => new Dictionary<string, string> { ["team"] = i % 2 == 0 ? "search" : "ads" });
        var after = T0.AddMinutes(30).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        await explorer.RunAsync(nameof(TheDateAndLabelFiltersNarrowTheRowsAndTheCounts), async page =>
        {
            await page.GotoAsync($"/ui/runs?workflowId={workflowId}");
            await Expect(page.Locator("tbody tr")).ToHaveCountAsync(5);
            await page.GetByLabel("Label", new() { Exact = true }).FillAsync("team:search");
            await page.GetByLabel("Created after").FillAsync(after);
            await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

            // Search runs are 0, 2 and 4; created after 00:30 leaves 2 and 4, newest first.
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("createdAfter=.*label=team%3Asearch"));
            await Expect(page.Locator("tbody tr")).ToHaveCountAsync(2);
            var shown = await page.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.run)");
            Assert.Equal([ids[4], ids[2]], shown);
            await Expect(page.Locator("#counts li[data-status='succeeded']")).ToHaveTextAsync("succeeded 2");
            await Expect(page.Locator("#counts li[data-status='running']")).ToHaveTextAsync("running 0");

            await page.GetByLabel("Created after").FillAsync("last tuesday");
            await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
            var problem = page.Locator("main .problem[role='alert']").First;
            await Expect(problem.Locator("h2")).ToContainTextAsync("400");
            await Expect(problem).ToContainTextAsync("/createdAfter");
        });
        // The browser reports the refused requests itself; nothing else may fail.
        explorer.AssertNoConsoleErrors(e => e.Contains("status of 400", StringComparison.Ordinal));
    }
}
