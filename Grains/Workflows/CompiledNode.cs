using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Steps;

namespace AgentOrleans.Grains.Workflows;

/// <summary>A node with its step type resolved, settings compiled into templates and edges into conditions.</summary>
public sealed class CompiledNode
{
    internal CompiledNode(
        NodeDefinition definition, IStep step, JsonTemplate settings, IReadOnlyDictionary<string, JsonTemplate> deferred, IReadOnlyDictionary<string, JsonTemplate> secret)
    {
        Id = definition.Id;
        Type = definition.Type;
        Step = step;
        Settings = settings;
        DeferredSettings = deferred;
        SecretSettings = secret;
        Timeout = definition.Timeout;
        Retry = definition.Retry;
        MaxVisits = definition.MaxVisits;
        Needs = definition.Needs;
    }

    public string Id { get; }

    public string Type { get; }

    public IStep Step { get; }

    /// <summary>The <c>with</c> settings the engine renders before each attempt (deferred ones left out).</summary>
    public JsonTemplate Settings { get; }

    public IReadOnlyDictionary<string, JsonTemplate> DeferredSettings { get; }

    /// <summary>The templates of the settings that reference secrets (<see cref="IStep.SecretSettings"/>), by setting name.</summary>
    public IReadOnlyDictionary<string, JsonTemplate> SecretSettings { get; }

    /// <summary>Every secret the node references, with the pointer of the string that names it.</summary>
    public IEnumerable<(string Pointer, string Name)> SecretReferences => SecretSettings.Values.SelectMany(t => t.SecretReferences);

    public TimeSpan? Timeout { get; }

    public RetryPolicy Retry { get; }

    public int? MaxVisits { get; }

    public IReadOnlyDictionary<string, int> Needs { get; }

    /// <summary>When the node's outputs are stored and reused; null: never (see Grains/Caching).</summary>
    public CachePolicy? Cache { get; internal init; }

    public IReadOnlyList<CompiledEdge> Edges { get; internal set; } = [];

    public JsonObject RenderSettings(ExpressionScope scope) => Settings.Render(scope) as JsonObject ?? [];

    /// <summary>
    /// The next node: the first edge, in the order the definition lists them, whose condition holds
    /// (an edge without one always does). Null ends the run: no edge out, none that holds, or <c>end</c>.
    /// </summary>
    public string? NextNodeId(ExpressionScope scope)
    {
        foreach (var edge in Edges)
        {
            if (edge.When is null || edge.When.IsTrue(scope))
            {
                return edge.To == EdgeDefinition.End ? null : edge.To;
            }
        }

        return null;
    }
}

/// <summary>An edge with its condition parsed.</summary>
public sealed record CompiledEdge(string To, Expression? When);
