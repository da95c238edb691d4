using System.Net;

namespace AgentOrleans.Tests.Explorer;

/// <summary>The shell is served without a key (it holds no data), the data is not, and a missing file is not the shell.</summary>
[Collection(ExplorerCollection.Name)]
public sealed class ExplorerShellTests(ExplorerFixture fixture) : IDisposable
{
    private readonly HttpClient _anonymous = new() { BaseAddress = new Uri(fixture.BaseUrl) };

    [Theory]
    [InlineData("/ui", "text/html")]
    [InlineData("/ui/", "text/html")]
    [InlineData("/ui/runs/some-run", "text/html")]
    [InlineData("/ui/app.js", "text/javascript")]
    [InlineData("/ui/style.css", "text/css")]
    public async Task TheShellIsServedWithoutAKey(string path, string mediaType)
    {
        using var response = await _anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFileIsNotFoundAndTheDataStillNeedsAKey()
    {
        using var missing = await _anonymous.GetAsync("/ui/missing.js");
        using var data = await _anonymous.GetAsync("/v1/executions");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
    }

    public void Dispose() => _anonymous.Dispose();
}
