using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static AgentOrleans.Tests.Infrastructure.Runs;
using static Microsoft.Playwright.Assertions;

namespace AgentOrleans.Tests.Explorer;

/// <summary>Controlling a run from the page: pause and resume at a node boundary; a held tool call rejected with a comment.</summary>
[Collection(ExplorerCollection.Name)]
public sealed class ExplorerControlTests(ExplorerFixture fixture)
{
    private static readonly LocatorAssertionsToHaveTextOptions Long = new() { Timeout = 20_000 };

    [Fact]
    public async Task APauseHoldsTheRunAtTheNextNodeUntilResumedAndKeepsAHalfTypedSignal()
    {
        var signal = NewId("go");
        var id = await ExplorerRuns.StartAsync(fixture.Client, new JsonObject
        {
            ["before"] = Node("test.count"),
            ["hold"] = Node("wait", new JsonObject { ["signal"] = signal }),
            ["after"] = Node("test.count"),
        });
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        await explorer.RunAsync(nameof(APauseHoldsTheRunAtTheNextNodeUntilResumedAndKeepsAHalfTypedSignal), async page =>
        {
            await page.GotoAsync($"/ui/runs/{id}");
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("waiting", Long);
            await page.GetByLabel("Signal name").FillAsync(signal);
            await page.GetByLabel("Signal payload (JSON)").FillAsync("""{"ok": true}""");

            // The pause redraws the action bar (the page reads the status again); what was typed stays.
            await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
            await Expect(page.Locator("#pause-requested")).ToBeVisibleAsync();
            await Expect(page.GetByLabel("Signal name")).ToHaveValueAsync(signal);
            await Expect(page.GetByLabel("Signal payload (JSON)")).ToHaveValueAsync("""{"ok": true}""");

            await page.GetByRole(AriaRole.Button, new() { Name = "Send signal" }).ClickAsync();
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("paused", Long);
            await Expect(page.Locator("svg.graph g.node[data-node='hold']")).ToHaveAttributeAsync("data-status", "succeeded");
            await Expect(page.Locator("svg.graph g.node[data-node='after']")).ToHaveAttributeAsync("data-status", "pending");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToBeDisabledAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("succeeded", Long);
            await Expect(page.Locator("svg.graph g.node[data-node='after']")).ToHaveAttributeAsync("data-status", "succeeded");
            await Expect(page.Locator("#timeline li[data-type='execution.paused']")).ToHaveCountAsync(1);
            await Expect(page.Locator("#timeline li[data-type='execution.resumed']")).ToHaveCountAsync(1);
        });
        explorer.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task RejectingAHeldToolCallFromThePageSkipsTheToolAndTellsTheModelWhy()
    {
        var marker = NewId("m");
        var id = await ExplorerRuns.StartAsync(fixture.Client, new JsonObject
        {
            ["agent"] = Node("agent", new JsonObject
            {
                ["prompt"] = $"use tool send {marker}",
                ["tools"] = new JsonArray(new JsonObject
                {
                    ["name"] = "send",
                    ["approval"] = true,
                    ["step"] = new JsonObject { ["type"] = "transform", ["with"] = new JsonObject { ["set"] = new JsonObject { ["sent"] = "${{ args.query }}" } } },
                }),
            }),
        });
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        await explorer.RunAsync(nameof(RejectingAHeldToolCallFromThePageSkipsTheToolAndTellsTheModelWhy), async page =>
        {
            await page.GotoAsync($"/ui/runs/{id}");
            var held = page.Locator(".approval");
            await Expect(held.Locator("button.reject")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await held.GetByPlaceholder("comment (optional)").FillAsync("not to that address");
            await held.Locator("button.reject").ClickAsync();

            await Expect(page.Locator("#run-status")).ToHaveTextAsync("succeeded", new() { Timeout = 30_000 });
            await Expect(page.Locator("#timeline li[data-type='execution.signaled']")).ToContainTextAsync("rejected");
            await Expect(page.Locator(".approval")).ToHaveCountAsync(0);
            await Expect(page.Locator(".tool-call[data-done='true']")).ToContainTextAsync("not to that address");
        });
        explorer.AssertNoConsoleErrors();

        var done = await fixture.Client.GetAsync(id);
        var approval = done.Result?["agent"]?["toolCalls"]?[0]?["approval"];
        Assert.True(
            approval?["approved"]?.GetValue<bool>() == false && approval["comment"]?.GetValue<string>() == "not to that address",
            $"expected the call rejected with the comment in the result; saw {done.Result?.ToJsonString()}");
    }
}
