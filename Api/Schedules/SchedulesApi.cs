using System.Globalization;
using AgentOrleans.Api.Problems;
using AgentOrleans.Api.Tenants;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Schedules;
using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AgentOrleans.Api.Schedules;

/// <summary>
/// Schedules: one grain each, firing on silos (the Api only defines and reads them). Every problem with a definition is
/// answered 400 with its pointer, all of them at once.
/// </summary>
public static class SchedulesApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    private static readonly string[] JsonMediaTypes = ["application/json"];

    public static RouteGroupBuilder MapSchedules(this IEndpointRouteBuilder routes)
    {
        // A schedule starts executions, so changing one takes the right to start them; reading one, to read them.
        var group = routes.MapGroup("/v1/schedules").WithTags("Schedules");
        group.MapPut("/{id}", PutAsync)
            .WithSummary("Create or replace a schedule: cron (with timeZone) or every; overlap, catch-up window, jitter, start and end")
            .Accepts<ScheduleBody>("application/json")
            .RequireAuthorization(Scopes.ExecutionsStart);
        group.MapGet("/", ListAsync).WithSummary("Every schedule, in id order, a page at a time (?after=id&limit=50)").RequireAuthorization(Scopes.ExecutionsRead);
        group.MapGet("/{id}", GetAsync).WithSummary("A schedule: its definition, next 5 fires, last fires and running executions").RequireAuthorization(Scopes.ExecutionsRead);
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a schedule; executions it started go on").RequireAuthorization(Scopes.ExecutionsStart);
        group.MapPost("/{id}/pause", PauseAsync).WithSummary("Stop firing (fires while paused are not made up)").RequireAuthorization(Scopes.ExecutionsStart);
        group.MapPost("/{id}/resume", ResumeAsync).WithSummary("Fire again from now on").RequireAuthorization(Scopes.ExecutionsStart);
        group.MapPost("/{id}/trigger", TriggerAsync).WithSummary("Fire now, under the schedule's overlap policy").RequireAuthorization(Scopes.ExecutionsStart)
            .RequireRateLimiting(StartRateLimiting.PolicyName);
        return group;
    }

    public static async Task<Results<Created<ScheduleResource>, Ok<ScheduleResource>, ProblemHttpResult>> PutAsync(
        string id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (text, problem) = await RequestBody.ReadAsync(request, JsonMediaTypes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var problems = new ProblemList();
        if (!IsScheduleId(id))
        {
            problems.Add("/id", IdRule);
        }

        var spec = ScheduleRequest.Parse(text!, problems);

        // The workflow is looked for even when other fields are wrong, so one answer lists every problem.
        if (WorkflowOf(text!) is { } workflow && await grains.GetGrain<IWorkflowDefinitionGrain>(request.HttpContext.ScopedKey(workflow.Id)!).GetAsync(workflow.Version) is null)
        {
            problems.Add(workflow.Version is null
                ? new DefinitionProblem("/workflowId", $"no workflow '{workflow.Id}' has been published")
                : new DefinitionProblem("/version", $"workflow '{workflow.Id}' has no version {workflow.Version}"));
        }

        if (problems.Count > 0 || spec is null)
        {
            return Problem.Invalid($"The schedule has {problems.Count} problem(s).", problems);
        }

        var put = await grains.GetGrain<IScheduleGrain>(request.HttpContext.ScopedKey(id)!).PutAsync(spec);
        if (put.Schedule is null)
        {
            return Problem.Invalid($"The schedule has {put.Problems.Count} problem(s).", put.Problems);
        }

        var body = ScheduleResource.From(put.Schedule);
        return put.Created ? TypedResults.Created(body.Links.Self, body) : TypedResults.Ok(body);
    }

    public static async Task<Results<Ok<ScheduleResource>, ProblemHttpResult>> GetAsync(string id, HttpContext http, IGrainFactory grains) =>
        !IsScheduleId(id) ? InvalidId() : Found(id, await Schedule(http, grains, id).GetAsync());

    public static async Task<Results<Ok<ScheduleList>, ProblemHttpResult>> ListAsync(
        string? after, [FromQuery(Name = "limit")] string? limitText, HttpContext http, IGrainFactory grains)
    {
        var limit = DefaultPageSize;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxPageSize))
        {
            return Problem.Invalid("The limit parameter is invalid.", [new DefinitionProblem("/limit", $"must be a whole number from 1 to {MaxPageSize}")]);
        }

        var registry = grains.GetGrain<IScheduleRegistryGrain>(IScheduleRegistryGrain.GlobalKey);
        var page = await registry.ListAsync(Caller.Tenant(http), after, limit);
        var views = await Task.WhenAll(page.Ids.Select(scheduleId => grains.GetGrain<IScheduleGrain>(scheduleId).GetAsync()));
        var items = new List<ScheduleResource>(views.Length);
        for (var i = 0; i < views.Length; i++)
        {
            if (views[i] is { } view)
            {
                items.Add(ScheduleResource.From(view));
            }
            else
            {
                // Listed, then deleted before the registry heard of it: dropped here, once.
                await registry.RemoveAsync(page.Ids[i]);
            }
        }

        var next = page.More && page.Ids.Count > 0 ? $"/v1/schedules?after={Uri.EscapeDataString(TenantScope.Shown(page.Ids[^1]))}&limit={limit}" : null;
        return TypedResults.Ok(new ScheduleList(items, page.Total, next));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, HttpContext http, IGrainFactory grains)
    {
        if (!IsScheduleId(id))
        {
            return InvalidId();
        }

        return await Schedule(http, grains, id).DeleteAsync() ? TypedResults.NoContent() : NotFound(id);
    }

    public static async Task<Results<Ok<ScheduleResource>, ProblemHttpResult>> PauseAsync(string id, HttpContext http, IGrainFactory grains) =>
        !IsScheduleId(id) ? InvalidId() : Found(id, await Schedule(http, grains, id).PauseAsync());

    public static async Task<Results<Ok<ScheduleResource>, ProblemHttpResult>> ResumeAsync(string id, HttpContext http, IGrainFactory grains) =>
        !IsScheduleId(id) ? InvalidId() : Found(id, await Schedule(http, grains, id).ResumeAsync());

    public static async Task<Results<Accepted<FireResource>, Ok<FireResource>, ProblemHttpResult>> TriggerAsync(string id, HttpContext http, IGrainFactory grains)
    {
        if (!IsScheduleId(id))
        {
            return InvalidId();
        }

        var fire = await Schedule(http, grains, id).TriggerAsync();
        if (fire is null)
        {
            return NotFound(id);
        }

        var body = FireResource.From(fire);
        return body.Execution is { } execution ? TypedResults.Accepted(execution, body) : TypedResults.Ok(body);
    }

    /// <summary>Schedule ids are workflow-style ids: no ':' so the execution id <c>sched:{id}:{time}</c> reads back.</summary>
    public static bool IsScheduleId(string id) => DefinitionReader.WorkflowId().IsMatch(id);

    private const string IdRule = "a schedule id starts with a letter or digit and holds only letters, digits, '.', '_' and '-' (at most 128)";

    // A valid schedule id holds no '/', so it always scopes to a key of the caller's tenant.
    private static IScheduleGrain Schedule(HttpContext http, IGrainFactory grains, string id) => grains.GetGrain<IScheduleGrain>(http.ScopedKey(id)!);

    private static ProblemHttpResult InvalidId() => Problem.Invalid("The schedule id in the URL is invalid.", [new DefinitionProblem("/id", IdRule)]);

    private static ProblemHttpResult NotFound(string id) => Problem.NotFound($"No schedule '{id}'.");

    private static Results<Ok<ScheduleResource>, ProblemHttpResult> Found(string id, ScheduleView? view) =>
        view is null ? NotFound(id) : TypedResults.Ok(ScheduleResource.From(view));

    // The workflow the body names, when its id (and version) read; the rest of the body may be wrong.
    private static (string Id, int? Version)? WorkflowOf(string text)
    {
        if (DefinitionDocument.ParseJson(text, new ProblemList()) is not System.Text.Json.Nodes.JsonObject body
            || body["workflowId"] is not System.Text.Json.Nodes.JsonValue workflowId
            || !workflowId.TryGetValue<string>(out var wf) || !DefinitionReader.WorkflowId().IsMatch(wf))
        {
            return null;
        }

        int? version = body["version"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<int>(out var n) && n >= 1 ? n : null;
        return body["version"] is not null && version is null ? null : (wf, version);
    }
}

/// <summary>The shape of a schedule definition, for the OpenAPI document.</summary>
public sealed record ScheduleBody(
    string WorkflowId,
    int? Version,
    System.Text.Json.Nodes.JsonNode? Input,
    string? Cron,
    string? TimeZone,
    string? Every,
    DateTimeOffset? StartAt,
    DateTimeOffset? EndAt,
    string? Jitter,
    string? Overlap,
    string? CatchUpWindow,
    bool? Paused);
