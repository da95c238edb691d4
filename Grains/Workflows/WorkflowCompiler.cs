using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Secrets;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Steps.BuiltIn;
using NJsonSchema;

namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// Definition → <see cref="CompiledWorkflow"/>: reads the document, resolves step types through
/// the registry, lets each step type check its settings, parses every expression once, and
/// checks the graph (start, edges, reachability, bounded cycles). Reports every problem found.
/// </summary>
public sealed class WorkflowCompiler(StepRegistry registry)
{
    /// <param name="document">The definition as JSON.</param>
    /// <param name="version">The version it is published, or was stored, as.</param>
    /// <param name="publishing">False when a stored version is compiled again to run (<see cref="SettingsValidation.Publishing"/>).</param>
    public CompileResult Compile(JsonNode? document, int version, bool publishing = true)
    {
        var problems = new ProblemList();
        var definition = DefinitionReader.Read(document, problems);
        if (definition is null)
        {
            return new CompileResult(null, problems);
        }

        var nodes = new Dictionary<string, CompiledNode>(StringComparer.Ordinal);
        foreach (var node in definition.Nodes.Values)
        {
            if (CompileNode(node, problems, publishing) is { } compiled)
            {
                nodes[node.Id] = compiled;
            }
        }

        if (!definition.Nodes.ContainsKey(definition.Start))
        {
            problems.Add("/start", $"'{definition.Start}' is not a node; nodes: {string.Join(", ", definition.Nodes.Keys)}");
        }

        var edges = CompileEdges(definition, problems);
        CheckGraph(definition, edges, problems);
        var inputSchema = CompileInputSchema(definition.InputSchema, problems);
        if (problems.Count > 0)
        {
            return new CompileResult(null, problems);
        }

        foreach (var node in nodes.Values)
        {
            node.Edges = edges.GetValueOrDefault(node.Id) ?? [];
        }

        return new CompileResult(
            new CompiledWorkflow(definition.Id, version, nodes[definition.Start], definition.Timeout, inputSchema, nodes) { Retention = definition.Retention, Budget = definition.Budget },
            problems);
    }

    private CompiledNode? CompileNode(NodeDefinition node, ProblemList problems, bool publishing)
    {
        var pointer = $"/nodes/{JsonPointer.Escape(node.Id)}";
        if (!registry.TryGet(node.Type, out var step))
        {
            problems.Add($"{pointer}/type", $"unknown step type '{node.Type}'; registered: {string.Join(", ", registry.Names.Order())}");
            return null;
        }

        step.ValidateSettings(node.With, new SettingsValidation($"{pointer}/with", problems, registry, publishing));
        var rendered = new JsonObject();
        var deferred = new Dictionary<string, JsonTemplate>(StringComparer.Ordinal);
        foreach (var (key, value) in node.With ?? [])
        {
            if (step.DeferredSettings.Contains(key))
            {
                deferred[key] = JsonTemplate.Compile(value, $"{pointer}/with/{JsonPointer.Escape(key)}", problems.Add);
            }
            else
            {
                rendered[key] = value?.DeepClone();
            }
        }

        // Secrets only in the settings the step sends them from, never deferred ones (rendered into whatever the step builds).
        var secretPointers = step.SecretSettings.Where(rendered.ContainsKey).Select(key => $"{pointer}/with/{JsonPointer.Escape(key)}").ToList();
        bool SecretsAllowed(string at) => secretPointers.Exists(p => at == p || at.StartsWith(p + "/", StringComparison.Ordinal));
        var settings = JsonTemplate.Compile(rendered, $"{pointer}/with", problems.Add, SecretsAllowed);
        var secret = step.SecretSettings
            .Select(key => (key, template: settings.Property(key)))
            .Where(p => p.template?.SecretReferences.Any() == true)
            .ToDictionary(p => p.key, p => p.template!, StringComparer.Ordinal);
        return new CompiledNode(node, step, settings, deferred, secret) { Cache = CompileCache(node, step, pointer, problems) };
    }

    private static CachePolicy? CompileCache(NodeDefinition node, IStep step, string pointer, ProblemList problems)
    {
        if (node.Cache is not { } cache)
        {
            return null;
        }

        if (step is WaitStep)
        {
            problems.Add($"{pointer}/cache", "a wait node cannot be cached: it waits for a signal and computes nothing");
        }

        var key = cache.Key is null ? null : JsonTemplate.Compile(JsonValue.Create(cache.Key), $"{pointer}/cache/key", problems.Add);
        var deferred = new JsonObject();
        foreach (var (name, value) in (node.With ?? []).Where(p => step.DeferredSettings.Contains(p.Key)))
        {
            deferred[name] = value?.DeepClone();
        }

        return new CachePolicy(cache.Ttl, key, deferred);
    }

    private static Dictionary<string, List<CompiledEdge>> CompileEdges(WorkflowDefinition definition, ProblemList problems)
    {
        var edges = new Dictionary<string, List<CompiledEdge>>(StringComparer.Ordinal);
        foreach (var edge in definition.Edges)
        {
            var pointer = $"/edges/{edge.Index}";
            var valid = true;
            if (!definition.Nodes.ContainsKey(edge.From))
            {
                problems.Add($"{pointer}/from", $"'{edge.From}' is not a node");
                valid = false;
            }

            if (edge.To != EdgeDefinition.End && !definition.Nodes.ContainsKey(edge.To))
            {
                problems.Add($"{pointer}/to", $"'{edge.To}' is not a node (nor 'end')");
                valid = false;
            }

            Expression? when = null;
            if (edge.When is not null && (when = Expression.TryParse(edge.When, out var error)) is null)
            {
                problems.Add($"{pointer}/when", $"invalid condition: {error}");
                valid = false;
            }
            else if (when?.MentionsSecrets == true)
            {
                problems.Add($"{pointer}/when", SecretReference.WhereAllowed);
                valid = false;
            }

            if (valid)
            {
                (edges.TryGetValue(edge.From, out var list) ? list : edges[edge.From] = []).Add(new CompiledEdge(edge.To, when));
            }
        }

        return edges;
    }

    private static void CheckGraph(WorkflowDefinition definition, Dictionary<string, List<CompiledEdge>> edges, ProblemList problems)
    {
        var successors = edges.ToDictionary(e => e.Key, e => e.Value.Where(x => x.To != EdgeDefinition.End).Select(x => x.To).ToList());
        if (definition.Nodes.ContainsKey(definition.Start))
        {
            var reachable = GraphAnalysis.Reachable(definition.Start, successors);
            foreach (var node in definition.Nodes.Keys.Where(n => !reachable.Contains(n)))
            {
                problems.Add($"/nodes/{JsonPointer.Escape(node)}", $"is not reachable from the start node '{definition.Start}'");
            }
        }

        foreach (var cycle in GraphAnalysis.Cycles(definition.Nodes.Keys.ToList(), successors))
        {
            if (cycle.All(n => definition.Nodes[n].MaxVisits is null))
            {
                problems.Add(
                    $"/nodes/{JsonPointer.Escape(cycle[0])}",
                    $"is on a cycle ({string.Join(" → ", cycle.Append(cycle[0]))}) with no iteration bound: set maxVisits on a node of the cycle");
            }
        }
    }

    private static JsonSchema? CompileInputSchema(JsonObject? schema, ProblemList problems) =>
        schema is null ? null : JsonSchemas.Compile(schema, "/input", problems);
}

/// <summary>A compiled workflow, or the problems that stopped it.</summary>
public sealed record CompileResult(CompiledWorkflow? Workflow, IReadOnlyList<DefinitionProblem> Problems);
