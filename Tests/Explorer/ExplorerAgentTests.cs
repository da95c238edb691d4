using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static AgentOrleans.Tests.Infrastructure.Runs;
using static Microsoft.Playwright.Assertions;

namespace AgentOrleans.Tests.Explorer;

/// <summary>LLM steps on the run page: tokens appear as the model streams them; a held tool call is approved from the page.</summary>
[Collection(ExplorerCollection.Name)]
public sealed class ExplorerAgentTests(ExplorerFixture fixture)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Long = new() { Timeout = 30_000 };

    [Fact]
    public async Task TokensAppearOnThePageWhileTheModelIsStillAnswering()
    {
        // sim-slow: 150 ms a word, so the answer is still streaming for seconds after its first token.
        var words = string.Join(' ', Enumerable.Range(1, 25).Select(i => $"word{i}"));
        var prompt = $"{NewId("m")} {words}";
        var id = await ExplorerRuns.StartAsync(fixture.Client, new JsonObject
        {
            ["answer"] = Node("llm", new JsonObject { ["prompt"] = prompt, ["model"] = "sim-slow" }),
        });
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        await explorer.RunAsync(nameof(TokensAppearOnThePageWhileTheModelIsStillAnswering), async page =>
        {
            await page.GotoAsync($"/ui/runs/{id}");
            var tokens = page.Locator("pre.tokens[data-node='answer']");
            await Expect(tokens).ToContainTextAsync("You said:", new() { Timeout = 20_000 });
            var seenEarly = await tokens.TextContentAsync() ?? "";
            var node = page.Locator("svg.graph g.node[data-node='answer']");
            Assert.True(!seenEarly.Contains("word25", StringComparison.Ordinal), $"expected the first tokens before the whole answer; saw '{seenEarly}'");

            await Expect(node).ToHaveAttributeAsync("data-status", "succeeded", Long);
            await Expect(tokens).ToHaveTextAsync($"You said: {prompt}");
        });
        explorer.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task ApprovingAHeldToolCallFromThePageLetsTheAgentGoOn()
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

        await explorer.RunAsync(nameof(ApprovingAHeldToolCallFromThePageLetsTheAgentGoOn), async page =>
        {
            await page.GotoAsync($"/ui/runs/{id}");
            var approve = page.Locator(".approval button.approve");
            await Expect(approve).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("waiting");
            await approve.ClickAsync();

            await Expect(page.Locator("#run-status")).ToHaveTextAsync("succeeded", new() { Timeout = 30_000 });
            var call = page.Locator(".tool-call[data-done='true']");
            await Expect(call).ToHaveCountAsync(1);
            await Expect(call).ToContainTextAsync("simulated");
            await Expect(page.Locator("#timeline li[data-type='execution.signaled']")).ToContainTextAsync("approved");
        });
        explorer.AssertNoConsoleErrors();

        var done = await fixture.Client.GetAsync(id);
        var decided = done.Result?["agent"]?["toolCalls"]?[0]?["approval"]?["approved"]?.GetValue<bool>();
        Assert.True(decided == true, $"expected the call approved in the result; saw {done.Result?.ToJsonString()}");
    }
}
