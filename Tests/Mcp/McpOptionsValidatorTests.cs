using AgentOrleans.Grains.Mcp;

namespace AgentOrleans.Tests.Mcp;

public sealed class McpOptionsValidatorTests
{
    private static List<string> Failures(McpServerOptions server, string name = "s")
    {
        var options = new McpOptions();
        options.Servers[name] = server;
        return new McpOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];
    }

    [Fact]
    public void AStdioServerAndAnHttpServerWithASecretHeaderAreValid()
    {
        Assert.Empty(Failures(new McpServerOptions { Command = "dotnet", Args = ["server.dll"], Env = { ["TOKEN"] = "${{ secrets.MCP_TOKEN }}" } }));
        Assert.Empty(Failures(new McpServerOptions { Url = "https://mcp.example.com/mcp", Headers = { ["Authorization"] = "Bearer ${{ secrets.MCP_TOKEN }}" } }));
    }

    [Fact]
    public void AServerWithBothOrNeitherTransportIsRefusedNamingItsKey()
    {
        Assert.Equal(["AgentOrleans:Mcp:Servers:s: give exactly one of Command (a stdio server) and Url (an HTTP server)"], Failures(new McpServerOptions()));
        Assert.Single(Failures(new McpServerOptions { Command = "x", Url = "https://a.example" }));
    }

    [Fact]
    public void ABadUrlAMisplacedSettingABadNameAndAnExpressionInAHeaderAreRefused()
    {
        Assert.Contains("AgentOrleans:Mcp:Servers:s:Url must be an absolute http or https URL", Failures(new McpServerOptions { Url = "file:///etc/passwd" }));
        Assert.Contains(Failures(new McpServerOptions { Url = "https://a.example", Args = ["x"] }), f => f.Contains("go with Command only", StringComparison.Ordinal));
        Assert.Contains(Failures(new McpServerOptions { Command = "x", Headers = { ["A"] = "b" } }), f => f.Contains("Headers go with Url only", StringComparison.Ordinal));
        Assert.Contains(Failures(new McpServerOptions { Command = "x" }, name: "has space"), f => f.Contains("a server name is", StringComparison.Ordinal));
        var expression = Failures(new McpServerOptions { Url = "https://a.example", Headers = { ["Authorization"] = "Bearer ${{ input.token }}" } });
        Assert.Contains(expression, f => f.StartsWith("AgentOrleans:Mcp:Servers:s:Headers:Authorization:", StringComparison.Ordinal) && f.Contains("not a secret's placeholder", StringComparison.Ordinal));
    }

    [Fact]
    public void ATimeoutThatIsNotPositiveIsRefused()
    {
        var failures = new McpOptionsValidator().Validate(null, new McpOptions { StartTimeout = TimeSpan.Zero, ToolListTtl = TimeSpan.FromSeconds(-1), MaxResultChars = 0 }).Failures;
        Assert.Equal(3, failures?.Count());
    }
}
