using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static AgentOrleans.Tests.Infrastructure.Runs;
using static Microsoft.Playwright.Assertions;

namespace AgentOrleans.Tests.Explorer;

/// <summary>Acting on runs from the page: cancel, re-run where the run stopped, send a signal with a JSON payload.</summary>
[Collection(ExplorerCollection.Name)]
public sealed class ExplorerActionsTests(ExplorerFixture fixture)
{
    private static readonly LocatorAssertionsToHaveTextOptions Long = new() { Timeout = 20_000 };

    [Fact]
    public async Task ACancelledRunIsReRunFromThePageAndTheReRunTakesASignalSentFromIt()
    {
        var signal = NewId("go");
        var id = await ExplorerRuns.StartAsync(fixture.Client, new JsonObject
        {
            ["before"] = Node("test.count"),
            ["hold"] = Node("wait", new JsonObject { ["signal"] = signal }),
            ["after"] = Node("test.count"),
        });
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        await explorer.RunAsync(nameof(ACancelledRunIsReRunFromThePageAndTheReRunTakesASignalSentFromIt), async page =>
        {
            await page.GotoAsync($"/ui/runs/{id}");
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("waiting", Long);
            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("cancelled", Long);

            await page.GetByRole(AriaRole.Button, new() { Name = "Re-run" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/ui/runs/(?!{id}$)[^/]+$"));
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("waiting", Long);
            await Expect(page.Locator("main .run-header")).ToContainTextAsync($"re-run of {id}");
            await Expect(page.Locator("svg.graph g.node[data-node='before']")).ToHaveAttributeAsync("data-status", "pending");

            await page.GetByLabel("Signal name").FillAsync(signal);
            await page.GetByLabel("Signal payload (JSON)").FillAsync("""{"ok": true}""");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send signal" }).ClickAsync();
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("succeeded", Long);
            await Expect(page.Locator("svg.graph g.node[data-node='after']")).ToHaveAttributeAsync("data-status", "succeeded");
        });
        explorer.AssertNoConsoleErrors();

        var rerunId = new Uri(explorer.Page.Url).Segments[^1];
        var rerun = await fixture.Client.GetAsync(rerunId);
        Assert.True(rerun.Status == "succeeded", $"expected the re-run {rerunId} to succeed; saw {rerun.Status}");
    }
}
