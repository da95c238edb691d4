using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static AgentOrleans.Tests.Infrastructure.Runs;
using static Microsoft.Playwright.Assertions;

namespace AgentOrleans.Tests.Explorer;

/// <summary>The list pages, the key prompt and the narrow layout.</summary>
[Collection(ExplorerCollection.Name)]
public sealed class ExplorerPagesTests(ExplorerFixture fixture)
{
    [Fact]
    public async Task TheRunsListFiltersByWorkflowAndCountsPerStatus()
    {
        var id = await ExplorerRuns.StartAsync(fixture.Client, new JsonObject { ["only"] = Node("test.count") });
        var workflowId = (await fixture.Client.GetAsync(id)).WorkflowId;
        await fixture.Client.WaitAsync(id);
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        await explorer.RunAsync(nameof(TheRunsListFiltersByWorkflowAndCountsPerStatus), async page =>
        {
            await page.GotoAsync($"/ui/runs?workflowId={workflowId}");
            await Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
            await Expect(page.Locator($"tr[data-run='{id}']")).ToContainTextAsync("succeeded");
            await Expect(page.Locator("#counts li[data-status='succeeded']")).ToHaveTextAsync("succeeded 1");
            await Expect(page.Locator("#counts li[data-status='failed']")).ToHaveTextAsync("failed 0");

            await page.Locator($"tr[data-run='{id}'] a").ClickAsync();
            await Expect(page).ToHaveURLAsync($"{fixture.BaseUrl}/ui/runs/{id}");
            await Expect(page.Locator("svg.graph g.node[data-node='only']")).ToHaveAttributeAsync("data-status", "succeeded");
        });
        explorer.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task TwoVersionsOfAWorkflowAreShownAsALineDiff()
    {
        var id = NewId("wf");
        JsonObject Definition(string type) => new()
        {
            ["id"] = id,
            ["start"] = "a",
            ["nodes"] = new JsonObject { ["a"] = Node("test.count"), ["b"] = Node(type) },
            ["edges"] = new JsonArray(new JsonObject { ["from"] = "a", ["to"] = "b" }),
        };
        await fixture.Client.PublishWorkflowAsync(id, Definition("test.count").ToJsonString());
        await fixture.Client.PublishWorkflowAsync(id, Definition("test.flaky").ToJsonString());
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        await explorer.RunAsync(nameof(TwoVersionsOfAWorkflowAreShownAsALineDiff), async page =>
        {
            await page.GotoAsync("/ui/workflows");
            await Expect(page.Locator("main h1")).ToHaveTextAsync("Workflows");
            await Expect(page.Locator("tbody tr").First).ToBeVisibleAsync();

            await page.GotoAsync($"/ui/workflows/{id}");
            await Expect(page.Locator("ul.versions li")).ToHaveCountAsync(2);
            await Expect(page.Locator("#diff .del")).ToHaveCountAsync(1);
            await Expect(page.Locator("#diff .del")).ToContainTextAsync("\"type\": \"test.count\"");
            await Expect(page.Locator("#diff .add")).ToHaveCountAsync(1);
            await Expect(page.Locator("#diff .add")).ToContainTextAsync("\"type\": \"test.flaky\"");
        });
        explorer.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task ASchedulePausedFromThePageShowsAsPaused()
    {
        var workflowId = await ExplorerRuns.PublishAsync(fixture.Client, new JsonObject { ["only"] = Node("test.count") });
        var scheduleId = NewId("sched");
        await fixture.Client.PutScheduleAsync(scheduleId, new JsonObject { ["workflowId"] = workflowId, ["every"] = "1h" });
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        await explorer.RunAsync(nameof(ASchedulePausedFromThePageShowsAsPaused), async page =>
        {
            await page.GotoAsync("/ui/schedules");
            var row = page.Locator($"tr[data-schedule='{scheduleId}']");
            await Expect(row).ToContainTextAsync("active");
            await Expect(row.Locator("ul.fires li")).ToHaveCountAsync(3);
            await row.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
            await Expect(page.Locator($"tr[data-schedule='{scheduleId}'] .badge")).ToHaveTextAsync("paused");
        });
        explorer.AssertNoConsoleErrors();
        Assert.Equal("paused", (await fixture.Client.GetScheduleAsync(scheduleId)).State);
    }

    [Fact]
    public async Task APausedScheduleIsResumedAndTriggeredFromThePageAndLinksTheRunItFired()
    {
        var workflowId = await ExplorerRuns.PublishAsync(fixture.Client, new JsonObject { ["only"] = Node("test.count") });
        var scheduleId = NewId("sched");
        await fixture.Client.PutScheduleAsync(scheduleId, new JsonObject { ["workflowId"] = workflowId, ["every"] = "1h", ["paused"] = true });
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        await explorer.RunAsync(nameof(APausedScheduleIsResumedAndTriggeredFromThePageAndLinksTheRunItFired), async page =>
        {
            await page.GotoAsync("/ui/schedules");
            var row = page.Locator($"tr[data-schedule='{scheduleId}']");
            await Expect(row.Locator(".badge")).ToHaveTextAsync("paused");
            await row.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
            await Expect(row.Locator(".badge")).ToHaveTextAsync("active");

            await row.GetByRole(AriaRole.Button, new() { Name = "Trigger" }).ClickAsync();
            var fired = row.Locator("a.fired");
            await Expect(fired).ToContainTextAsync($"sched:{scheduleId}:");
            await fired.ClickAsync();
            await Expect(page.Locator("svg.graph g.node[data-node='only']")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 20_000 });
            await Expect(page.Locator("main .run-header")).ToContainTextAsync(workflowId);
        });
        explorer.AssertNoConsoleErrors();
        var schedule = await fixture.Client.GetScheduleAsync(scheduleId);
        await fixture.Client.DeleteScheduleAsync(scheduleId);
        Assert.Equal("active", schedule.State);
        Assert.True(schedule.LastFires.Count == 1 && schedule.LastFires[0].Manual, $"expected one manual fire; saw {schedule.LastFires.Count}");
    }

    [Fact]
    public async Task WithoutAKeyThePageShowsTheRefusalAndTheKeyTypedInTheDialogIsUsed()
    {
        await using var explorer = await ExplorerPage.OpenAsync(fixture, width: 390, height: 844, withKey: false);

        await explorer.RunAsync(nameof(WithoutAKeyThePageShowsTheRefusalAndTheKeyTypedInTheDialogIsUsed), async page =>
        {
            await page.GotoAsync("/ui/runs");
            await Expect(page.Locator("main .problem h2").First).ToContainTextAsync("401");

            // The keyboard alone: to the key button, open the dialog, type the key, save.
            await page.Locator("#key-button").FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#api-key")).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync(fixture.Api.Key);
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#counts li")).ToHaveCountAsync(9);
            await Expect(page.Locator("main .problem")).ToHaveCountAsync(0);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"expected no horizontal scrolling at 390 px; the page is {overflow} px wider");
        });
        // The browser reports the refused requests before the key was given; nothing else may fail.
        explorer.AssertNoConsoleErrors(e => e.Contains("status of 401", StringComparison.Ordinal));
    }
}
