using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static AgentOrleans.Tests.Infrastructure.Runs;
using static Microsoft.Playwright.Assertions;

namespace AgentOrleans.Tests.Explorer;

/// <summary>The run page in a real browser: the graph follows the events, the timeline survives a dropped stream.</summary>
[Collection(ExplorerCollection.Name)]
public sealed class ExplorerRunPageTests(ExplorerFixture fixture)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Long = new() { Timeout = 20_000 };
    private static readonly string[] Chain = ["first", "second", "third"];

    [Fact]
    public async Task ARunsNodesTurnGreenInTheGraphAsItSucceeds()
    {
        var id = await ExplorerRuns.StartAsync(fixture.Client, new JsonObject
        {
            ["first"] = Node("test.count"),
            ["second"] = Node("test.count"),
            ["third"] = Node("test.count"),
        });
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        await explorer.RunAsync(nameof(ARunsNodesTurnGreenInTheGraphAsItSucceeds), async page =>
        {
            await page.GotoAsync($"/ui/runs/{id}");
            foreach (var node in Chain)
            {
                await Expect(page.Locator($"svg.graph g.node[data-node='{node}']")).ToHaveAttributeAsync("data-status", "succeeded", Long);
            }

            await Expect(page.Locator("#run-status")).ToHaveTextAsync("succeeded", new() { Timeout = 20_000 });
            await Expect(page.Locator("#timeline li[data-type='execution.completed']")).ToHaveCountAsync(1);
        });
        explorer.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task ARetriedNodeShowsItsAttemptsAndRetries()
    {
        var id = await ExplorerRuns.StartAsync(fixture.Client, new JsonObject
        {
            ["flaky"] = Node("test.flaky", new JsonObject { ["failures"] = 2 }, retry: new JsonObject { ["maxAttempts"] = 3, ["initialDelay"] = "20ms", ["backoff"] = 2.0, ["jitter"] = 0 }),
        });
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        await explorer.RunAsync(nameof(ARetriedNodeShowsItsAttemptsAndRetries), async page =>
        {
            await page.GotoAsync($"/ui/runs/{id}");
            var node = page.Locator("svg.graph g.node[data-node='flaky']");
            await Expect(node).ToHaveAttributeAsync("data-status", "succeeded", Long);
            await Expect(node.Locator("text.node-meta")).ToHaveTextAsync("succeeded · try 3, 2 retries");
            await Expect(page.Locator("#timeline li[data-type='node.retrying']")).ToHaveCountAsync(2);
        });
        explorer.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task AfterADroppedStreamEveryEventIsShownExactlyOnce()
    {
        var signal = NewId("go");
        var id = await ExplorerRuns.StartAsync(fixture.Client, new JsonObject
        {
            ["before"] = Node("test.count"),
            ["hold"] = Node("wait", new JsonObject { ["signal"] = signal }),
            ["after"] = Node("test.count"),
            ["last"] = Node("test.count"),
        });
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        // A resume from further back than the page asked, as a proxy replaying its buffer might: the page must
        // drop what it has already shown. The resumed connection's own Last-Event-ID is kept to check it.
        var resumedFrom = new List<string>();
        long seqOfWaiting = 0;
        await explorer.Page.RouteAsync("**/v1/executions/*/events", async route =>
        {
            var headers = new Dictionary<string, string>(route.Request.Headers);
            if (headers.Remove("last-event-id", out var last))
            {
                lock (resumedFrom)
                {
                    resumedFrom.Add(last);
                }

                headers["last-event-id"] = "1";
            }

            await route.ContinueAsync(new() { Headers = headers });
        });

        await explorer.RunAsync(nameof(AfterADroppedStreamEveryEventIsShownExactlyOnce), async page =>
        {
            await page.GotoAsync($"/ui/runs/{id}");
            await Expect(page.Locator("svg.graph g.node[data-node='hold']")).ToHaveAttributeAsync("data-status", "waiting", Long);
            seqOfWaiting = long.Parse(await page.Locator("#timeline li[data-type='node.waiting']").GetAttributeAsync("data-seq") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

            // Cut the stream while the run waits, then let the run go on: what follows must arrive on the resumed stream.
            await page.EvaluateAsync("() => window.__explorer.dropStream()");
            await fixture.Client.SignalAsync(id, signal, new JsonObject { ["ok"] = true });
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("succeeded", new() { Timeout = 20_000 });
            await Expect(page.Locator("#timeline li[data-type='execution.completed']")).ToHaveCountAsync(1, new() { Timeout = 20_000 });

            var lastSeq = (await fixture.Client.GetAsync(id)).LastSeq;
            var seqs = await page.Locator("#timeline li").EvaluateAllAsync<long[]>("items => items.map(li => Number(li.dataset.seq))");
            Assert.True(
                seqs.SequenceEqual(Enumerable.Range(1, (int)lastSeq).Select(n => (long)n)),
                $"expected seq 1..{lastSeq} once each; the page shows {string.Join(",", seqs)}");
            await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "ended");
        });
        Assert.True(
            resumedFrom.Count == 1 && long.TryParse(resumedFrom[0], out var from) && from >= seqOfWaiting,
            $"expected one resume from the node.waiting event (seq {seqOfWaiting}) or later; saw resumes from [{string.Join(", ", resumedFrom)}]");
        explorer.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task ARunWithAChildLinksToTheChildWhosePageLinksBack()
    {
        var child = await ExplorerRuns.PublishAsync(fixture.Client, new JsonObject { ["inner"] = Node("test.count") });
        var id = await ExplorerRuns.StartAsync(fixture.Client, new JsonObject
        {
            ["spawn"] = Node("subworkflow", new JsonObject { ["workflowId"] = child }),
        });
        await fixture.Client.WaitAsync(id);
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        await explorer.RunAsync(nameof(ARunWithAChildLinksToTheChildWhosePageLinksBack), async page =>
        {
            await page.GotoAsync($"/ui/runs/{id}");
            var link = page.Locator("#timeline li[data-type='child.started'] a");
            await Expect(link).ToHaveCountAsync(1, new() { Timeout = 20_000 });
            await link.ClickAsync();

            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/ui/runs/(?!{id}$)[^/]+$"));
            await Expect(page.Locator("main .run-header")).ToContainTextAsync($"parent {id}");
            await Expect(page.Locator("main .run-header")).ToContainTextAsync(child);
            await Expect(page.Locator("svg.graph g.node[data-node='inner']")).ToHaveAttributeAsync("data-status", "succeeded", Long);
        });
        explorer.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task AnUnknownRunShowsTheApisProblemNotABlankPage()
    {
        var id = NewId("missing");
        await using var explorer = await ExplorerPage.OpenAsync(fixture);

        await explorer.RunAsync(nameof(AnUnknownRunShowsTheApisProblemNotABlankPage), async page =>
        {
            await page.GotoAsync($"/ui/runs/{id}");
            var problem = page.Locator("main .problem[role='alert']");
            await Expect(problem).ToBeVisibleAsync();
            await Expect(problem.Locator("h2")).ToContainTextAsync("404");
            await Expect(problem).ToContainTextAsync(id);

            await page.GotoAsync("/ui/no-such-page/here");
            await Expect(page.Locator("main .problem[role='alert'] h2")).ToHaveTextAsync("404 Not Found");
        });
        // The browser reports the refused request itself; nothing else may fail.
        explorer.AssertNoConsoleErrors(e => e.Contains("status of 404", StringComparison.Ordinal));
    }
}
