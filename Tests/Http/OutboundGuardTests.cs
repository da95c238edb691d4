using System.Net;
using AgentOrleans.Grains.Http;

namespace AgentOrleans.Tests.Http;

/// <summary>The guard's decision alone, for addresses the tests must never send traffic to.</summary>
public sealed class OutboundGuardTests
{
    private static OutboundGuard Guard(bool allowPrivateNetworks = false, params string[] allowedHosts) =>
        new(new OutboundRules(allowPrivateNetworks, allowedHosts), new DnsHostResolver());

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::1", "::1")]
    [InlineData("169.254.169.254", "169.254.169.254")]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("internal.test", "127.0.0.1")]
    [InlineData("mapped.test", "::ffff:10.0.0.1")]
    public void NonPublicAddressesAreRefusedByDefault(string host, string address) =>
        Assert.False(Guard().IsAllowed(host, IPAddress.Parse(address)));

    [Fact]
    public void PublicAddressesAreAllowedByDefault() =>
        Assert.True(Guard().IsAllowed("example.com", IPAddress.Parse("93.184.215.14")));

    [Theory]
    [InlineData("::1", "::1", "::1")]
    [InlineData("::1", "::1", "[::1]")]
    [InlineData("169.254.169.254", "169.254.169.254", "169.254.169.254/32")]
    [InlineData("10.0.0.1", "10.0.0.1", "10.0.0.0/8")]
    [InlineData("mapped.test", "::ffff:10.0.0.1", "10.0.0.0/8")]
    [InlineData("internal.test", "10.0.0.1", "INTERNAL.test.")]
    public void AnAllowedHostsEntryAllowsTheAddressesOrNameItCovers(string host, string address, string entry) =>
        Assert.True(Guard(false, entry).IsAllowed(host, IPAddress.Parse(address)));

    [Fact]
    public void AnAllowedHostsEntryAllowsNothingBeyondIt()
    {
        var guard = Guard(false, "10.0.0.0/24", "internal.test");

        Assert.False(guard.IsAllowed("10.0.1.1", IPAddress.Parse("10.0.1.1")));
        Assert.False(guard.IsAllowed("other.test", IPAddress.Parse("169.254.169.254")));
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("169.254.169.254")]
    [InlineData("10.0.0.1")]
    [InlineData("fd00::1")]
    public void AllowPrivateNetworksAllowsEveryNonPublicAddress(string address) =>
        Assert.True(Guard(allowPrivateNetworks: true).IsAllowed(address, IPAddress.Parse(address)));

    [Theory]
    [InlineData("*.example.com")]
    [InlineData("http://example.com")]
    [InlineData("10.0.0.0/99")]
    [InlineData(" ")]
    public void AnEntryTheGuardCouldNotMatchIsAProblem(string entry) =>
        Assert.NotNull(AllowedHosts.Problem(entry));
}
