using AgentOrleans.Client.Http;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AgentOrleans.Tests.Explorer;

/// <summary>
/// One simulator, one Api and one headless Chromium (Debian's, never a downloaded one) for every explorer test;
/// each test opens its own browser context.
/// </summary>
public sealed class ExplorerFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public SimulatorServer Simulator { get; } = new();

    public ExplorerApiFactory Api { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The Api's real Kestrel address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The typed client, with the key, to set up runs.</summary>
    public AgentOrleansClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Simulator.StartAsync();
        Api = new ExplorerApiFactory(Simulator.BaseUrl);
        await Api.InitializeAsync();
        BaseUrl = Api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl + "/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Api.Key);
        Client = new AgentOrleansClient(http);

        Assert.True(File.Exists(ChromiumPath), $"the explorer tests drive Debian's chromium at {ChromiumPath}: scripts/install-services.sh installs it");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Containers often lack a usable sandbox and a large /dev/shm.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Api.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

/// <summary>Alone in the process: a browser and a run at once would upset other tests' timings on two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExplorerCollection : ICollectionFixture<ExplorerFixture>
{
    public const string Name = "explorer";
}
