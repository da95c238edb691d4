using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentOrleans.Tests.Hosting;

/// <summary>Without authentication nothing listens beyond loopback, unless that is asked for by name; with it, anything may.</summary>
public sealed class ListenAddressGuardTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080;http://[::1]:5081")]
    [InlineData("http://127.0.0.2:9")]
    public void LoopbackAddressesStartWithoutAuthentication(string urls) =>
        ListenAddressGuard.EnsureSafe(Config(("urls", urls)), NullLogger.Instance);

    [Fact]
    public void NoAddressConfiguredMeansKestrelsDefaultLocalhost() =>
        ListenAddressGuard.EnsureSafe(Config(), NullLogger.Instance);

    [Theory]
    [InlineData("urls", "http://0.0.0.0:8080")]
    [InlineData("urls", "http://127.0.0.1:5080;http://*:5081")]
    [InlineData("urls", "http://+:80")]
    [InlineData("urls", "http://10.1.2.3:80")]
    [InlineData("http_ports", "8080")]
    [InlineData("Kestrel:Endpoints:Public:Url", "http://[::]:80")]
    public void AnyOtherAddressStopsTheStartNamingTheSettingThatAllowsIt(string key, string value)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => ListenAddressGuard.EnsureSafe(Config((key, value)), NullLogger.Instance));

        Assert.Contains(ListenAddressGuard.AllowAnonymousKey, refused.Message, StringComparison.Ordinal);
        Assert.Contains("AgentOrleans:Auth:Keys", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AConfiguredApiKeyLetsItListenAnywhere() =>
        ListenAddressGuard.EnsureSafe(
            Config(("urls", "http://0.0.0.0:8080"), ("AgentOrleans:Auth:Keys:ci:Hash", ApiKeys.HashHex(ApiKeys.New())), ("AgentOrleans:Auth:Keys:ci:Scopes", "admin")),
            NullLogger.Instance);

    [Fact]
    public void AConfiguredJwtAuthorityLetsItListenAnywhere() =>
        ListenAddressGuard.EnsureSafe(
            Config(("http_ports", "8080"), ("AgentOrleans:Auth:Jwt:Authority", "https://issuer.example"), ("AgentOrleans:Auth:Jwt:Audience", "agentorleans")),
            NullLogger.Instance);

    [Fact]
    public void AllowAnonymousFalseWithNothingConfiguredStillRefuses() =>
        Assert.Throws<InvalidOperationException>(() =>
            ListenAddressGuard.EnsureSafe(Config(("urls", "http://0.0.0.0:8080"), (ListenAddressGuard.AllowAnonymousKey, "false")), NullLogger.Instance));

    [Fact]
    public void AllowAnonymousTrueLetsItStart() =>
        ListenAddressGuard.EnsureSafe(Config(("urls", "http://0.0.0.0:8080"), (ListenAddressGuard.AllowAnonymousKey, "true")), NullLogger.Instance);
}
