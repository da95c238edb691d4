using System.Globalization;
using System.Text.Json.Nodes;
using AgentOrleans.Api.Problems;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AgentOrleans.Api.Workflows;

public static class WorkflowsApi
{
    private static readonly string[] DefinitionMediaTypes = ["application/json", "application/yaml", "application/x-yaml", "text/yaml"];

    public static RouteGroupBuilder MapWorkflows(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/workflows").WithTags("Workflows");
        group.MapPut("/{id}", PublishAsync)
            .WithSummary("Publish a workflow definition (JSON or YAML); changed content makes a new version")
            .Accepts<JsonObject>("application/json", "application/yaml")
            .RequireAuthorization(Scopes.WorkflowsWrite);
        group.MapGet("/{id}", GetAsync).WithSummary("A workflow definition: the latest, or ?version=N").RequireAuthorization(AuthPolicies.WorkflowsRead);
        group.MapWorkflowsList();
        group.MapGet("/{id}/versions", ListVersionsAsync).WithSummary("Every published version of a workflow").RequireAuthorization(AuthPolicies.WorkflowsRead);
        return group;
    }

    public static async Task<Results<Created<PublishedWorkflow>, Ok<PublishedWorkflow>, ProblemHttpResult>> PublishAsync(
        string id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (text, problem) = await RequestBody.ReadAsync(request, DefinitionMediaTypes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (InvalidId(id) is { } invalidId)
        {
            return invalidId;
        }

        var problems = new ProblemList();
        var document = RequestBody.IsYaml(request) ? DefinitionDocument.ParseYaml(text!, problems) : DefinitionDocument.ParseJson(text!, problems);
        if (document is null && problems.Count == 0)
        {
            // `null` (or an empty YAML document) parses fine but is no definition; the grain needs an object to validate.
            problems.Add("", "is null: a workflow definition is an object with id, start and nodes");
        }

        if (problems.Count > 0)
        {
            return Problem.Invalid("The definition could not be read.", problems);
        }

        var published = await grains.GetGrain<IWorkflowDefinitionGrain>(id).PublishAsync(document!.ToJsonString());
        if (!published.IsValid)
        {
            return Problem.Invalid($"The definition has {published.Problems.Count} problem(s).", published.Problems);
        }

        var body = new PublishedWorkflow(id, published.Version!.Value, published.Created);
        return published.Created
            ? TypedResults.Created($"/v1/workflows/{Uri.EscapeDataString(id)}?version={body.Version}", body)
            : TypedResults.Ok(body);
    }

    // The version is read as text: a bound int? answers a non-number with a bare 400, or a 500 where bad requests throw (Development).
    public static async Task<Results<Ok<WorkflowResource>, ProblemHttpResult>> GetAsync(string id, [FromQuery(Name = "version")] string? versionText, IGrainFactory grains)
    {
        if (InvalidId(id) is { } invalidId)
        {
            return invalidId;
        }

        int? version = null;
        if (versionText is not null)
        {
            if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                return Problem.Invalid("The version parameter is invalid.", [new DefinitionProblem("/version", "must be a whole number from 1")]);
            }

            version = number;
        }

        var stored = await grains.GetGrain<IWorkflowDefinitionGrain>(id).GetAsync(version);
        return stored is null
            ? Problem.NotFound(version is null ? $"No workflow '{id}' has been published." : $"Workflow '{id}' has no version {version}.")
            : TypedResults.Ok(new WorkflowResource(stored.WorkflowId, stored.Version, stored.ContentHash, stored.PublishedAt, JsonNode.Parse(stored.DefinitionJson)!));
    }

    public static async Task<Results<Ok<WorkflowVersions>, ProblemHttpResult>> ListVersionsAsync(string id, IGrainFactory grains)
    {
        if (InvalidId(id) is { } invalidId)
        {
            return invalidId;
        }

        var versions = await grains.GetGrain<IWorkflowDefinitionGrain>(id).ListVersionsAsync();
        return versions.Count == 0
            ? Problem.NotFound($"No workflow '{id}' has been published.")
            : TypedResults.Ok(new WorkflowVersions(id, versions));
    }

    // Checked before any grain call: Orleans refuses an empty or blank key with an exception, which would answer 500.
    private static ProblemHttpResult? InvalidId(string id) => DefinitionReader.WorkflowId().IsMatch(id)
        ? null
        : Problem.Invalid("The workflow id in the URL is invalid.", [new DefinitionProblem("/id", "a workflow id starts with a letter or digit and holds only letters, digits, '.', '_' and '-'")]);
}

/// <summary>The answer to a publish: the version, and whether it was created now or already existed.</summary>
public sealed record PublishedWorkflow(string Id, int Version, bool Created);

public sealed record WorkflowResource(string Id, int Version, string ContentHash, DateTimeOffset PublishedAt, JsonNode Definition);

public sealed record WorkflowVersions(string Id, IReadOnlyList<WorkflowVersionInfo> Versions);
