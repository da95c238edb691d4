using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Workflows;

namespace AgentOrleans.Tests.Steps;

/// <summary>Compiles a one-node workflow whose node <c>n</c> has the given type and <c>with</c>.</summary>
internal static class StepSettings
{
    public static CompileResult CompileNode(string type, string withJson) =>
        Definitions.CompileJson("""{"id":"w","start":"n","nodes":{"n":{"type":"TYPE","with":WITH}}}""".Replace("TYPE", type, StringComparison.Ordinal).Replace("WITH", withJson, StringComparison.Ordinal));
}
