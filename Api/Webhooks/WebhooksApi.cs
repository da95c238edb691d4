using System.Globalization;
using AgentOrleans.Api.Problems;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Webhooks;
using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AgentOrleans.Api.Webhooks;

/// <summary>
/// Webhooks of the caller's tenant: one grain each, which signs, sends and retries. Configuring one sends a tenant's
/// events elsewhere, so it takes <c>admin</c>; its deliveries show what executions did, so reading them takes
/// <c>executions:read</c>.
/// </summary>
public static class WebhooksApi
{
    public const int DefaultDeliveries = 50;
    public const int MaxDeliveries = 1000;

    private static readonly string[] JsonMediaTypes = ["application/json"];

    private const string IdRule = "a webhook id starts with a letter or digit and holds only letters, digits, '.', '_' and '-' (at most 128)";

    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/webhooks").WithTags("Webhooks");
        group.MapPut("/{id}", PutAsync)
            .WithSummary("Create or replace a webhook: url, events, workflowId?, secret? (made and shown once when absent)")
            .Accepts<WebhookRequestBody>("application/json")
            .RequireAuthorization(Scopes.Admin);
        group.MapGet("/", ListAsync).WithSummary("The tenant's webhooks in id order, without their secrets").RequireAuthorization(Scopes.Admin);
        group.MapGet("/{id}", GetAsync).WithSummary("A webhook, without its secret").RequireAuthorization(Scopes.Admin);
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a webhook and drop its pending deliveries").RequireAuthorization(Scopes.Admin);
        group.MapGet("/{id}/deliveries", DeliveriesAsync).WithSummary("Its deliveries, newest first, each with its attempts (?limit=50)").RequireAuthorization(Scopes.ExecutionsRead);
        return group;
    }

    public static async Task<Results<Created<WebhookResource>, Ok<WebhookResource>, ProblemHttpResult>> PutAsync(
        string id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (text, problem) = await RequestBody.ReadAsync(request, JsonMediaTypes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var problems = new ProblemList();
        if (!IsWebhookId(id))
        {
            problems.Add("/id", IdRule);
        }

        var spec = WebhookRequest.Parse(text!, problems);
        if (spec is not null)
        {
            problems.AddRange(WebhookRules.Check(spec));
        }

        if (problems.Count > 0 || spec is null)
        {
            return Problem.Invalid($"The webhook has {problems.Count} problem(s).", problems);
        }

        var put = await Grain(grains, request.HttpContext, id).PutAsync(spec);
        if (put.Webhook is null)
        {
            return Problem.Invalid($"The webhook has {put.Problems.Count} problem(s).", put.Problems);
        }

        var body = WebhookResource.From(put.Webhook, put.GeneratedSecret);
        return put.Created ? TypedResults.Created(body.Links.Self, body) : TypedResults.Ok(body);
    }

    public static async Task<Results<Ok<WebhookResource>, ProblemHttpResult>> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        if (!IsWebhookId(id))
        {
            return InvalidId();
        }

        return await Grain(grains, http, id).GetAsync() is { } view ? TypedResults.Ok(WebhookResource.From(view)) : NotFound(id);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, HttpContext http, IGrainFactory grains)
    {
        if (!IsWebhookId(id))
        {
            return InvalidId();
        }

        return await Grain(grains, http, id).DeleteAsync() ? TypedResults.NoContent() : NotFound(id);
    }

    public static async Task<Results<Ok<WebhookDeliveryList>, ProblemHttpResult>> DeliveriesAsync(
        string id, [FromQuery(Name = "limit")] string? limitText, HttpContext http, IGrainFactory grains)
    {
        var problems = new ProblemList();
        if (!IsWebhookId(id))
        {
            problems.Add("/id", IdRule);
        }

        var limit = DefaultDeliveries;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxDeliveries))
        {
            problems.Add("/limit", $"must be a whole number from 1 to {MaxDeliveries}");
        }

        if (problems.Count > 0)
        {
            return Problem.Invalid("The request is invalid.", problems);
        }

        return await Grain(grains, http, id).GetDeliveriesAsync(limit) is { } deliveries
            ? TypedResults.Ok(new WebhookDeliveryList([.. deliveries.Select(WebhookDeliveryResource.From)]))
            : NotFound(id);
    }

    /// <summary>The tenant's registry names its webhooks (what silos match events against); each one's grain shows it.</summary>
    public static async Task<Ok<WebhookList>> ListAsync(HttpContext http, IGrainFactory grains)
    {
        var subscriptions = await grains.GetGrain<IWebhookRegistryGrain>(Caller.Tenant(http)).ListAsync();
        var views = await Task.WhenAll(subscriptions.Select(s => s.WebhookKey).Order(StringComparer.Ordinal).Select(key => grains.GetGrain<IWebhookGrain>(key).GetAsync()));
        return TypedResults.Ok(new WebhookList([.. views.OfType<WebhookView>().Select(v => WebhookResource.From(v))]));
    }

    public static bool IsWebhookId(string id) => DefinitionReader.WorkflowId().IsMatch(id);

    private static IWebhookGrain Grain(IGrainFactory grains, HttpContext http, string id) =>
        grains.GetGrain<IWebhookGrain>(TenantKey.Scope(Caller.Tenant(http), id));

    private static ProblemHttpResult InvalidId() => Problem.Invalid("The webhook id in the URL is invalid.", [new DefinitionProblem("/id", IdRule)]);

    private static ProblemHttpResult NotFound(string id) => Problem.NotFound($"No webhook '{id}'.");
}

/// <summary>The body's shape, for the OpenAPI document.</summary>
public sealed record WebhookRequestBody(string Url, IReadOnlyList<string> Events, string? WorkflowId, string? Secret);
