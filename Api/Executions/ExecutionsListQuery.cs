using System.Globalization;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Primitives;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// The query of <c>GET /v1/executions</c> (and of the bulk actions that take the same filter): every problem is listed,
/// each with the pointer <c>/{parameter}</c>.
/// </summary>
public sealed record ExecutionsListQuery(ExecutionFilter Filter, ExecutionCursor? After, int Limit)
{
    public const int MaxLimit = 500;

    public const int DefaultLimit = 50;

    /// <summary>The filter's parameters, which the bulk actions share.</summary>
    public static readonly string[] FilterFields = ["status", "workflowId", "createdAfter", "createdBefore", "label", "parent", "schedule"];

    private static readonly string[] Fields = [.. FilterFields, "cursor", "limit"];

    private static readonly Dictionary<string, ExecutionStatus> Statuses =
        Enum.GetValues<ExecutionStatus>().ToDictionary(s => s.ToWireName(), StringComparer.Ordinal);

    public static ExecutionsListQuery? Parse(IQueryCollection query, string tenant, ProblemList problems)
    {
        foreach (var unknown in query.Keys.Where(k => !Fields.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
        {
            problems.Add($"/{unknown}", $"is not a parameter of this listing; known: {string.Join(", ", Fields)}");
        }

        var filter = ParseFilter(query, tenant, problems);
        ExecutionCursor? after = null;
        if (Single(query, "cursor", problems) is { } cursorText && !ExecutionCursor.TryParse(cursorText, out after))
        {
            problems.Add("/cursor", "is not a cursor this listing returned (pass the nextCursor of the previous page as it is)");
        }

        var limit = DefaultLimit;
        if (Single(query, "limit", problems) is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            problems.Add("/limit", $"must be a whole number from 1 to {MaxLimit}");
        }

        return problems.Count == 0 ? new ExecutionsListQuery(filter, after, limit) : null;
    }

    /// <summary>
    /// The filter of the counts: the listing's, less <c>status</c> (the counts are per status), <c>cursor</c> and
    /// <c>limit</c>; null when there are problems.
    /// </summary>
    public static ExecutionFilter? ParseCountFilter(IQueryCollection query, string tenant, ProblemList problems)
    {
        var fields = FilterFields.Where(f => f != "status").ToList();
        foreach (var unknown in query.Keys.Where(k => !fields.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
        {
            problems.Add($"/{unknown}", unknown == "status"
                ? "is not a filter of the counts: they are given for every status"
                : $"is not a parameter of the counts; known: {string.Join(", ", fields)}");
        }

        var filter = ParseFilter(query, tenant, problems);
        return problems.Count == 0 ? filter : null;
    }

    /// <summary>The filter alone (no unknown-field check): for callers that take it beside their own fields.</summary>
    public static ExecutionFilter ParseFilter(IQueryCollection query, string tenant, ProblemList problems)
    {
        var statuses = new List<ExecutionStatus>();
        foreach (var text in query["status"].SelectMany(s => (s ?? "").Split(',')))
        {
            if (Statuses.TryGetValue(text, out var status))
            {
                statuses.Add(status);
            }
            else
            {
                problems.Add("/status", $"'{text}' is not a status; one of {string.Join(", ", Statuses.Keys)} (repeat or comma-separate for several)");
            }
        }

        var createdAfter = Time(query, "createdAfter", problems);
        var createdBefore = Time(query, "createdBefore", problems);
        if (createdAfter is not null && createdBefore is not null && createdAfter >= createdBefore)
        {
            problems.Add("/createdBefore", "must be later than createdAfter");
        }

        return new ExecutionFilter(tenant)
        {
            Statuses = statuses.Distinct().ToList(),
            WorkflowId = Id(query, "workflowId", problems),
            CreatedAfter = createdAfter,
            CreatedBefore = createdBefore,
            Labels = Labels(query["label"], problems),
            Parent = Id(query, "parent", problems),
            Schedule = Id(query, "schedule", problems),
        };
    }

    private static Dictionary<string, string> Labels(StringValues values, ProblemList problems)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in values)
        {
            var colon = (text ?? "").IndexOf(':', StringComparison.Ordinal);
            if (colon < 1)
            {
                problems.Add("/label", $"'{text}' is not key:value");
                continue;
            }

            var (key, value) = (text![..colon], text[(colon + 1)..]);
            if (labels.TryGetValue(key, out var other) && other != value)
            {
                problems.Add("/label", $"label '{key}' is asked for twice with different values: no execution matches");
            }

            labels[key] = value;
        }

        return labels;
    }

    private static string? Single(IQueryCollection query, string name, ProblemList problems)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            problems.Add($"/{name}", "is given more than once");
        }

        return values.Count == 0 ? null : values[0];
    }

    private static string? Id(IQueryCollection query, string name, ProblemList problems)
    {
        var id = Single(query, name, problems);
        if (id is not null && !TenantKey.IsValidId(id))
        {
            problems.Add($"/{name}", "must be an id: not blank, no '/'");
        }

        return id;
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name, ProblemList problems)
    {
        var text = Single(query, name, problems);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && text.Contains('T', StringComparison.Ordinal))
        {
            return at;
        }

        problems.Add($"/{name}", $"'{text}' is not an ISO 8601 timestamp such as 2026-12-01T00:00:00Z");
        return null;
    }
}
