using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AgentOrleans.Client.Http;

public sealed partial class AgentOrleansClient
{
    /// <summary>Creates or replaces a schedule; <paramref name="spec"/> is the body of <c>PUT /v1/schedules/{id}</c> (workflowId, cron or every, …).</summary>
    public async Task<Schedule> PutScheduleAsync(string id, JsonObject spec, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsync($"v1/schedules/{Escape(id)}", JsonContent.Create(spec, options: ApiResponse.Json), cancellationToken);
        return await ApiResponse.ReadAsync<Schedule>(response, cancellationToken);
    }

    public async Task<Schedule> GetScheduleAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"v1/schedules/{Escape(id)}", cancellationToken);
        return await ApiResponse.ReadAsync<Schedule>(response, cancellationToken);
    }

    /// <summary>One page of schedules in id order, after <paramref name="after"/>.</summary>
    public async Task<SchedulePage> ListSchedulesAsync(string? after = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var query = QueryString.Of(("after", after), ("limit", Number(limit)));
        using var response = await http.GetAsync($"v1/schedules{query}", cancellationToken);
        return await ApiResponse.ReadAsync<SchedulePage>(response, cancellationToken);
    }

    /// <summary>Deletes a schedule; the executions it started go on.</summary>
    public async Task DeleteScheduleAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"v1/schedules/{Escape(id)}", cancellationToken);
        await ApiResponse.EnsureSuccessAsync(response, cancellationToken);
    }

    public Task<Schedule> PauseScheduleAsync(string id, CancellationToken cancellationToken = default) => ScheduleActionAsync<Schedule>(id, "pause", cancellationToken);

    public Task<Schedule> ResumeScheduleAsync(string id, CancellationToken cancellationToken = default) => ScheduleActionAsync<Schedule>(id, "resume", cancellationToken);

    /// <summary>Fires the schedule now, under its overlap policy: the fire and its execution, or why it was skipped or buffered.</summary>
    public Task<ScheduleFire> TriggerScheduleAsync(string id, CancellationToken cancellationToken = default) => ScheduleActionAsync<ScheduleFire>(id, "trigger", cancellationToken);

    private async Task<T> ScheduleActionAsync<T>(string id, string action, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"v1/schedules/{Escape(id)}/{action}", null, cancellationToken);
        return await ApiResponse.ReadAsync<T>(response, cancellationToken);
    }
}
