using System.Security.Cryptography;
using System.Text;
using AgentOrleans.Api.Hosting;
using AgentOrleans.Api.Problems;
using AgentOrleans.Api.Tenants;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Retention;
using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Api.Executions;

public static class ExecutionsApi
{
    private static readonly string[] JsonMediaTypes = ["application/json"];

    public static RouteGroupBuilder MapExecutions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/executions").WithTags("Executions");
        group.MapPost("/", StartAsync)
            .WithSummary("Start an execution; answers at once with its id (Idempotency-Key: same key, same execution)")
            .Accepts<StartExecutionRequest>("application/json")
            .RequireAuthorization(Scopes.ExecutionsStart)
            .RequireRateLimiting(StartRateLimiting.PolicyName);
        group.MapGet("/{id}", GetAsync).WithSummary("Status, result, error and timings (?wait=30s long-polls until terminal)").RequireAuthorization(Scopes.ExecutionsRead);
        group.MapPost("/{id}/cancel", CancelAsync).WithSummary("Request cancellation (durable, idempotent)").RequireAuthorization(Scopes.ExecutionsCancel);
        group.MapGet("/{id}/events", ExecutionEventsEndpoint.HandleAsync)
            .WithSummary("Events: Server-Sent Events for Accept: text/event-stream (resume with Last-Event-ID), else a JSON page (?after=N&limit=M); ?include=children merges every child execution's events, tagged with executionId and path")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .RequireAuthorization(Scopes.ExecutionsRead);
        group.MapExecutionControl();
        group.MapRerun();
        group.MapExecutionsList();
        group.MapExecutionCounts();
        group.MapExecutionDelete();
        return group;
    }

    /// <summary>The answer for an id that names no execution of the caller's tenant (another tenant's, blank, or holding '/').</summary>
    public static ProblemHttpResult NotFound(string id) => Problem.NotFound($"No execution '{id}'.");

    public static async Task<Results<Accepted<StartedExecution>, ProblemHttpResult>> StartAsync(
        HttpRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, IGrainFactory grains, TimeProvider time, IOptions<LabelOptions> labels, CancellationToken cancellationToken)
    {
        var (text, problem) = await RequestBody.ReadAsync(request, JsonMediaTypes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var problems = new ProblemList();
        var body = StartExecutionRequest.Parse(text!, problems, labels.Value);
        if (body is null)
        {
            return Problem.Invalid($"The request has {problems.Count} problem(s).", problems);
        }

        var id = idempotencyKey is { Length: > 0 } key ? IdFromKey(key) : Guid.CreateVersion7().ToString("N");
        var (beginAt, note) = DelayedStart.BeginAt(body, time.GetUtcNow());
        // Hashed or generated, the id holds no '/': it always scopes.
        var started = await grains.GetGrain<IExecutionGrain>(request.HttpContext.ScopedKey(id)!).StartAsync(
            new StartExecution(body.WorkflowId, body.Version, body.Input?.ToJsonString()) { Priority = body.Priority, StartAt = beginAt, By = Caller.By(request.HttpContext), Labels = body.Labels, Budget = body.Budget });
        return started.Outcome switch
        {
            StartOutcome.Started or StartOutcome.AlreadyStarted => TypedResults.Accepted(
                ExecutionLinks.For(id).Self,
                new StartedExecution(id, started.Execution!.Status.ToWireName(), ExecutionLinks.For(id)) { ScheduledFor = started.Execution.ScheduledFor, Note = note }),
            StartOutcome.Overloaded => Overloaded(request.HttpContext.Response, started),
            StartOutcome.Conflict => Problem.Conflict($"Idempotency-Key '{idempotencyKey}' was used for a different request (execution '{id}')."),
            StartOutcome.WorkflowNotFound => Problem.NotFound(body.Version is null
                ? $"No workflow '{body.WorkflowId}' has been published."
                : $"Workflow '{body.WorkflowId}' has no version {body.Version}."),
            _ => Problem.Invalid(
                "The input does not match the workflow's input schema.",
                started.Problems.Select(p => p with { Pointer = "/input" + p.Pointer.TrimEnd('/') }).ToList()),
        };
    }

    public static async Task<Results<Ok<ExecutionResource>, ProblemHttpResult>> GetAsync(
        string id, string? wait, HttpContext http, IGrainFactory grains, IExecutionTombstones tombstones, IOptions<ApiOptions> options, GrainCallTimeout callTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var waitFor = TimeSpan.Zero;
        if (wait is not null && (!Duration.TryParse(wait, out waitFor) || waitFor > options.Value.MaxWait))
        {
            return Problem.Invalid("The wait parameter is invalid.", [new DefinitionProblem("/wait", $"must be {Duration.Expected}, at most {options.Value.MaxWait.TotalSeconds} s")]);
        }

        if (http.ScopedKey(id) is not { } key)
        {
            return NotFound(id);
        }

        var execution = grains.GetGrain<IExecutionGrain>(key);
        var until = time.GetUtcNow() + waitFor;
        var snapshot = await execution.GetAsync();
        while (snapshot is { IsTerminal: false } && time.GetUtcNow() < until && !cancellationToken.IsCancellationRequested)
        {
            // Slices stay well under the grain call timeout.
            var slice = until - time.GetUtcNow();
            snapshot = await execution.WaitAsync(slice > callTimeout.WaitSlice ? callTimeout.WaitSlice : slice);
        }

        return snapshot is null
            ? await ExecutionDeleteApi.NotFoundAsync(Caller.Tenant(http), id, tombstones, time, cancellationToken)
            : TypedResults.Ok(ExecutionResource.From(snapshot));
    }

    public static async Task<Results<Accepted<CancelAnswer>, Ok<CancelAnswer>, ProblemHttpResult>> CancelAsync(string id, string? reason, HttpContext http, IGrainFactory grains)
    {
        if (http.ScopedKey(id) is not { } key)
        {
            return NotFound(id);
        }

        var result = await grains.GetGrain<IExecutionGrain>(key).CancelAsync(reason, Caller.By(http));
        var answer = new CancelAnswer(id, result.Accepted, result.Status?.ToWireName(), result.Message);
        return !result.Exists ? NotFound(id)
            : result.Accepted ? TypedResults.Accepted(ExecutionLinks.For(id).Self, answer)
            : TypedResults.Ok(answer);
    }

    private static ProblemHttpResult Overloaded(HttpResponse response, StartResult started)
    {
        var retryAfter = (int)Math.Ceiling((started.RetryAfter ?? TimeSpan.Zero).TotalSeconds);
        response.Headers.RetryAfter = Math.Max(1, retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem.TooManyRequests($"Too many executions are queued or running: {(started.Problems.Count > 0 ? started.Problems[0].Message : null)}. Try again after {Math.Max(1, retryAfter)} s.");
    }

    // The key is hashed so any client string maps to a safe id, and the same key always to the same execution (of the caller's tenant: the id is scoped).
    private static string IdFromKey(string key) => "idem-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
}
