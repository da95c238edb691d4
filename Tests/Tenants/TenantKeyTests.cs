using AgentOrleans.Grains.Tenants;

namespace AgentOrleans.Tests.Tenants;

public sealed class TenantKeyTests
{
    [Fact]
    public void The_default_tenants_keys_are_the_bare_ids()
    {
        Assert.Equal("hello", TenantKey.Scope(TenantKey.DefaultTenant, "hello"));
        Assert.Equal((TenantKey.DefaultTenant, "hello"), TenantKey.Parse("hello"));
    }

    [Fact]
    public void Another_tenants_keys_are_prefixed_and_parse_back()
    {
        var key = TenantKey.Scope("acme", "sched:nightly:2026-12-02T00:00:00Z");
        Assert.Equal("acme/sched:nightly:2026-12-02T00:00:00Z", key);
        Assert.Equal(("acme", "sched:nightly:2026-12-02T00:00:00Z"), TenantKey.Parse(key));
        Assert.NotEqual(TenantKey.Scope("acme", "hello"), TenantKey.Scope("globex", "hello"));
    }

    [Theory]
    [InlineData("acme/hello")]
    [InlineData("")]
    [InlineData(" ")]
    public void An_id_a_caller_cannot_name_is_refused(string id)
    {
        Assert.False(TenantKey.TryScope(TenantKey.DefaultTenant, id, out _));
        Assert.Throws<ArgumentException>(() => TenantKey.Scope("acme", id));
    }

    [Theory]
    [InlineData("acme", true)]
    [InlineData("team-1.eu_west", true)]
    [InlineData("Acme", false)]
    [InlineData("a/b", false)]
    [InlineData("-x", false)]
    [InlineData("", false)]
    public void Tenant_names_are_checked(string tenant, bool valid) => Assert.Equal(valid, TenantKey.IsValidTenant(tenant));
}
