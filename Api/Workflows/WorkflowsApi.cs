using System.Text.Json.Nodes;
using AgentOrleans.Api.Problems;
using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentOrleans.Api.Workflows;

public static class WorkflowsApi
{
    private static readonly string[] DefinitionMediaTypes = ["application/json", "application/yaml", "application/x-yaml", "text/yaml"];

    public static RouteGroupBuilder MapWorkflows(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/workflows").WithTags("Workflows");
        group.MapPut("/{id}", PublishAsync)
            .WithSummary("Publish a workflow definition (JSON or YAML); changed content makes a new version")
            .Accepts<JsonObject>("application/json", "application/yaml");
        group.MapGet("/{id}", GetAsync).WithSummary("A workflow definition: the latest, or ?version=N");
        group.MapGet("/{id}/versions", ListVersionsAsync).WithSummary("Every published version of a workflow");
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

        if (!DefinitionReader.WorkflowId().IsMatch(id))
        {
            return Problem.Invalid("The workflow id in the URL is invalid.", [new DefinitionProblem("/id", "a workflow id starts with a letter or digit and holds only letters, digits, '.', '_' and '-'")]);
        }

        var problems = new ProblemList();
        var document = RequestBody.IsYaml(request) ? DefinitionDocument.ParseYaml(text!, problems) : DefinitionDocument.ParseJson(text!, problems);
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

    public static async Task<Results<Ok<WorkflowResource>, ProblemHttpResult>> GetAsync(string id, int? version, IGrainFactory grains)
    {
        var stored = await grains.GetGrain<IWorkflowDefinitionGrain>(id).GetAsync(version);
        return stored is null
            ? Problem.NotFound(version is null ? $"No workflow '{id}' has been published." : $"Workflow '{id}' has no version {version}.")
            : TypedResults.Ok(new WorkflowResource(stored.WorkflowId, stored.Version, stored.ContentHash, stored.PublishedAt, JsonNode.Parse(stored.DefinitionJson)!));
    }

    public static async Task<Results<Ok<WorkflowVersions>, ProblemHttpResult>> ListVersionsAsync(string id, IGrainFactory grains)
    {
        var versions = await grains.GetGrain<IWorkflowDefinitionGrain>(id).ListVersionsAsync();
        return versions.Count == 0
            ? Problem.NotFound($"No workflow '{id}' has been published.")
            : TypedResults.Ok(new WorkflowVersions(id, versions));
    }
}

/// <summary>The answer to a publish: the version, and whether it was created now or already existed.</summary>
public sealed record PublishedWorkflow(string Id, int Version, bool Created);

public sealed record WorkflowResource(string Id, int Version, string ContentHash, DateTimeOffset PublishedAt, JsonNode Definition);

public sealed record WorkflowVersions(string Id, IReadOnlyList<WorkflowVersionInfo> Versions);
