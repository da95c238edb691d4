using System.Text.Json.Nodes;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Grains.StartupTasks;

/// <summary>
/// <c>workflows.publish</c>: publishes every workflow definition (<c>*.json</c>, <c>*.yaml</c>, <c>*.yml</c>, by name) in
/// <c>directory</c> (relative to the application's folder, or absolute). Publishing is idempotent, so a re-run adds no
/// versions. It reads the silo's disk, so it runs only in a startup task's execution (configured by the operator), never
/// in one a caller started. A file that is no definition, or is refused, is skipped and listed with its problems.
/// </summary>
public sealed partial class PublishWorkflowsStep(IGrainFactory grains, ILogger<PublishWorkflowsStep> logger) : IStep
{
    public const string TypeName = "workflows.publish";

    private static readonly string[] Extensions = [".json", ".yaml", ".yml"];

    public void ValidateSettings(JsonObject? settings, SettingsValidation validation)
    {
        SettingsReader.RejectUnknown(settings, validation, "directory");
        if (!SettingsReader.IsString(settings?["directory"]))
        {
            validation.Problem("/directory", "is required: a directory of workflow definitions");
        }
    }

    public async Task<StepResult> ExecuteAsync(StepContext context)
    {
        if (!StartupTaskIds.IsStartupExecution(context.ExecutionId))
        {
            throw new StepException("NotAStartupTask", $"{TypeName} runs only in a startup task's execution (AgentOrleans:StartupTasks)", retryable: false);
        }

        var setting = SettingsReader.ReadString(context.Settings, "directory") ?? "";
        var directory = Path.GetFullPath(setting, AppContext.BaseDirectory);
        if (!Directory.Exists(directory))
        {
            throw new StepException("DirectoryNotFound", $"no directory '{setting}' (looked at {directory})");
        }

        var published = new JsonArray();
        var skipped = new JsonArray();
        var files = Directory.EnumerateFiles(directory).Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(file);
            var (id, problems) = await PublishAsync(file, context.CancellationToken);
            if (problems.Count > 0)
            {
                LogSkipped(logger, name, string.Join("; ", problems.Select(p => $"{p.Pointer}: {p.Message}")));
                skipped.Add(new JsonObject { ["file"] = name, ["problems"] = new JsonArray([.. problems.Select(p => (JsonNode)$"{p.Pointer}: {p.Message}")]) });
                continue;
            }

            LogPublished(logger, id.WorkflowId, id.Version, name);
            published.Add(new JsonObject { ["file"] = name, ["workflowId"] = id.WorkflowId, ["version"] = id.Version });
        }

        return new StepResult(new JsonObject { ["directory"] = setting, ["published"] = published, ["skipped"] = skipped });
    }

    private async Task<((string WorkflowId, int Version) Id, IReadOnlyList<DefinitionProblem> Problems)> PublishAsync(string file, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        var text = await File.ReadAllTextAsync(file, cancellationToken);
        var document = Path.GetExtension(file).Equals(".json", StringComparison.OrdinalIgnoreCase)
            ? DefinitionDocument.ParseJson(text, problems)
            : DefinitionDocument.ParseYaml(text, problems);
        if (problems.Count > 0)
        {
            return (default, problems);
        }

        if (document?["id"] is not JsonValue value || !value.TryGetValue<string>(out var workflowId) || !Tenants.TenantKey.IsValidId(workflowId))
        {
            return (default, [new DefinitionProblem("/id", "a definition names its workflow id")]);
        }

        // Startup tasks run in the default tenant, whose keys are the bare ids.
        var result = await grains.GetGrain<IWorkflowDefinitionGrain>(workflowId).PublishAsync(document.ToJsonString());
        return result.IsValid ? ((workflowId, result.Version!.Value), []) : (default, result.Problems);
    }

    [LoggerMessage(1, LogLevel.Information, "Published workflow {WorkflowId} version {Version} ({File})")]
    private static partial void LogPublished(ILogger logger, string workflowId, int version, string file);

    [LoggerMessage(2, LogLevel.Warning, "Skipped {File}: {Problems}")]
    private static partial void LogSkipped(ILogger logger, string file, string problems);
}
