namespace AgentOrleans.Grains.Auth;

/// <summary>
/// The authorization policies besides one per scope (named as the scope, <see cref="Scopes"/>): every endpoint names
/// one of them, or is anonymous (health). With authentication off every policy lets every request through.
/// </summary>
public static class AuthPolicies
{
    /// <summary>Read workflow definitions, their versions and the definition schema: whoever writes them, starts or reads executions.</summary>
    public const string WorkflowsRead = "workflows:read";

    /// <summary>Any caller with valid credentials, whatever its scopes: the API description (OpenAPI, Scalar).</summary>
    public const string Authenticated = "authenticated";

    /// <summary>The scopes any one of which satisfies <paramref name="policy"/>; empty for <see cref="Authenticated"/>.</summary>
    public static IReadOnlyList<string> ScopesFor(string policy) => policy switch
    {
        WorkflowsRead => [Scopes.WorkflowsWrite, Scopes.ExecutionsStart, Scopes.ExecutionsRead],
        Authenticated => [],
        _ when Scopes.All.Contains(policy) => [policy],
        _ => throw new ArgumentException($"no authorization policy '{policy}'", nameof(policy)),
    };

    /// <summary>Every policy an endpoint may name.</summary>
    public static IEnumerable<string> All => [.. Scopes.All, WorkflowsRead, Authenticated];
}
