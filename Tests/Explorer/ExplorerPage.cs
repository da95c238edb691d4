using System.Text.Json;
using Microsoft.Playwright;

namespace AgentOrleans.Tests.Explorer;

/// <summary>
/// A browser page on the explorer with the API key in its session, as the key prompt leaves it. It records every
/// console error and uncaught page error; <see cref="RunAsync"/> saves a screenshot when the test's body fails and
/// names it in the failure.
/// </summary>
public sealed class ExplorerPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    private ExplorerPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add($"console: {message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add($"page error: {error}");
            }
        };
    }

    public IPage Page { get; }

    /// <summary>A page 1280 px wide (or <paramref name="width"/>), with the key in its session unless <paramref name="withKey"/> is false.</summary>
    public static async Task<ExplorerPage> OpenAsync(ExplorerFixture fixture, int width = 1280, int height = 900, bool withKey = true)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        if (withKey)
        {
            await context.AddInitScriptAsync($"sessionStorage.setItem('agentorleans.key', {JsonSerializer.Serialize(fixture.Api.Key)});");
        }

        return new ExplorerPage(context, await context.NewPageAsync());
    }

    /// <summary>Runs <paramref name="body"/>; on failure saves a screenshot to <c>explorer-failures/{name}.png</c> beside the tests and rethrows naming it.</summary>
    public async Task RunAsync(string name, Func<IPage, Task> body)
    {
        try
        {
            await body(Page);
        }
        catch (Exception failure)
        {
            var path = Path.Combine(AppContext.BaseDirectory, "explorer-failures", $"{name}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            throw new Xunit.Sdk.XunitException($"{failure.Message}\nscreenshot: {path}\n{failure}");
        }
    }

    /// <summary>Fails naming every console or page error but those <paramref name="expected"/> allows.</summary>
    public void AssertNoConsoleErrors(Func<string, bool>? expected = null)
    {
        List<string> errors;
        lock (_errors)
        {
            errors = _errors.Where(e => expected?.Invoke(e) != true).ToList();
        }

        Assert.True(errors.Count == 0, $"expected no console errors; saw:\n{string.Join('\n', errors)}");
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
