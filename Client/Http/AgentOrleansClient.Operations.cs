using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AgentOrleans.Client.Http;

public sealed partial class AgentOrleansClient
{
    /// <summary>One page of the caller's executions matching <paramref name="filter"/>, newest first; pass the page's <c>NextCursor</c> as <paramref name="cursor"/> for the next.</summary>
    public async Task<ExecutionPage> ListExecutionsAsync(ExecutionFilter? filter = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var query = QueryString.Of([.. (filter ?? new ExecutionFilter()).Parameters(), ("limit", Number(limit)), ("cursor", cursor)]);
        using var response = await http.GetAsync($"v1/executions{query}", cancellationToken);
        return await ApiResponse.ReadAsync<ExecutionPage>(response, cancellationToken);
    }

    /// <summary>
    /// How many of the caller's executions matching <paramref name="filter"/> are in each status (every status named,
    /// zeros too). The counts are per status, so the filter's <see cref="ExecutionFilter.Statuses"/> must be unset
    /// (the API answers 400 at <c>/status</c>).
    /// </summary>
    public async Task<ExecutionCounts> CountExecutionsAsync(ExecutionFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var query = QueryString.Of([.. (filter ?? new ExecutionFilter()).Parameters()]);
        using var response = await http.GetAsync($"v1/executions/counts{query}", cancellationToken);
        return await ApiResponse.ReadAsync<ExecutionCounts>(response, cancellationToken);
    }

    /// <summary>Every execution matching <paramref name="filter"/>, newest first, page by page.</summary>
    public async IAsyncEnumerable<ExecutionListItem> ListAllExecutionsAsync(ExecutionFilter? filter = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            var page = await ListExecutionsAsync(filter, cursor, cancellationToken: cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>One page of published workflows, each with its latest version.</summary>
    public async Task<WorkflowPage> ListWorkflowsAsync(string? cursor = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"v1/workflows{QueryString.Of(("limit", Number(limit)), ("cursor", cursor))}", cancellationToken);
        return await ApiResponse.ReadAsync<WorkflowPage>(response, cancellationToken);
    }

    /// <summary>Starts a new execution that re-runs an ended one from its failed node (or <see cref="RerunRequest.FromNode"/>), reusing what ran before it.</summary>
    public async Task<StartedRerun> RerunAsync(string id, RerunRequest? request = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject();
        if (request?.FromNode is { } fromNode)
        {
            body["fromNode"] = fromNode;
        }

        if (request?.Input is { } input)
        {
            body["input"] = input.DeepClone();
        }

        return await PostAsync<JsonObject, StartedRerun>($"v1/executions/{Escape(id)}/rerun", body, idempotencyKey, cancellationToken);
    }

    /// <summary>Deletes an ended execution (its state, events and index row); a running one is refused with 409.</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"v1/executions/{Escape(id)}", cancellationToken);
        await ApiResponse.EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Cancels every execution matching <paramref name="filter"/> (created before now), as a bulk operation.</summary>
    public Task<BulkOperation> CancelManyAsync(ExecutionFilter filter, string? reason = null, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        PostAsync<JsonObject, BulkOperation>($"v1/executions:cancel{QueryString.Of([.. filter.Parameters()])}", reason is null ? new JsonObject() : new JsonObject { ["reason"] = reason }, idempotencyKey, cancellationToken);

    /// <summary>Re-runs every ended execution matching <paramref name="filter"/> (created before now), as a bulk operation.</summary>
    public Task<BulkOperation> RerunManyAsync(ExecutionFilter filter, string? fromNode = null, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        PostAsync<JsonObject, BulkOperation>($"v1/executions:rerun{QueryString.Of([.. filter.Parameters()])}", fromNode is null ? new JsonObject() : new JsonObject { ["fromNode"] = fromNode }, idempotencyKey, cancellationToken);

    /// <summary>A bulk operation's progress.</summary>
    public async Task<BulkOperation> GetBulkAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"v1/bulk/{Escape(id)}", cancellationToken);
        return await ApiResponse.ReadAsync<BulkOperation>(response, cancellationToken);
    }

    /// <summary>A POST of a JSON body, with the Idempotency-Key the API honours on starts, re-runs and bulk actions.</summary>
    private async Task<T> PostAsync<TBody, T>(string path, TBody body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: ApiResponse.Json) };
        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await http.SendAsync(message, cancellationToken);
        return await ApiResponse.ReadAsync<T>(response, cancellationToken);
    }

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}
