using System.Buffers.Text;
using System.Globalization;
using System.Text;
using AgentOrleans.Api.Executions;
using AgentOrleans.Api.Problems;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentOrleans.Api.Workflows;

/// <summary><c>GET /v1/workflows</c>: the caller's tenant's published workflows by id, each with its latest version, a page at a time.</summary>
public static class WorkflowsListApi
{
    private const string CursorPrefix = "w1:";

    private static readonly string[] Fields = ["cursor", "limit"];

    public static RouteGroupBuilder MapWorkflowsList(this RouteGroupBuilder workflows)
    {
        workflows.MapGet("/", ListAsync)
            .WithSummary("List published workflows by id, each with its latest version, description and update time (?limit=&cursor=)")
            .RequireAuthorization(AuthPolicies.WorkflowsRead);
        return workflows;
    }

    public static async Task<Results<Ok<WorkflowList>, ProblemHttpResult>> ListAsync(HttpContext http, IWorkflowCatalog catalog, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var problems = new ProblemList();
        foreach (var unknown in query.Keys.Where(k => !Fields.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
        {
            problems.Add($"/{unknown}", $"is not a parameter of this listing; known: {string.Join(", ", Fields)}");
        }

        string? after = null;
        if (query["cursor"] is { Count: > 0 } cursor && (cursor.Count > 1 || (after = Decode(cursor[0])) is null))
        {
            problems.Add("/cursor", "is not a cursor this listing returned (pass the nextCursor of the previous page as it is)");
        }

        var limit = ExecutionsListQuery.DefaultLimit;
        if (query["limit"] is { Count: > 0 } limitText
            && (limitText.Count > 1 || !int.TryParse(limitText[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > ExecutionsListQuery.MaxLimit))
        {
            problems.Add("/limit", $"must be a whole number from 1 to {ExecutionsListQuery.MaxLimit}");
        }

        if (problems.Count > 0)
        {
            return Problem.Invalid($"The query has {problems.Count} problem(s).", problems);
        }

        var page = await catalog.ListAsync(Caller.Tenant(http), after, limit, cancellationToken);
        return TypedResults.Ok(new WorkflowList(
            [.. page.Items.Select(w => new WorkflowListItem(w.Id, w.LatestVersion, w.Description, w.UpdatedAt))],
            page.Next is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(CursorPrefix + page.Next))));
    }

    private static string? Decode(string? cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor ?? ""));
            return text.StartsWith(CursorPrefix, StringComparison.Ordinal) && text.Length > CursorPrefix.Length ? text[CursorPrefix.Length..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

public sealed record WorkflowList(IReadOnlyList<WorkflowListItem> Items, string? NextCursor);

public sealed record WorkflowListItem(string Id, int LatestVersion, string? Description, DateTimeOffset UpdatedAt);
