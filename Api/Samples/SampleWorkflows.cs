using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Api.Samples;

/// <summary>
/// Publishes the workflows in <c>samples/</c> when the embedded default starts, so a newcomer can
/// start one with the README's curl. Publishing is idempotent, so restarts add no versions.
/// </summary>
public sealed partial class SampleWorkflows(
    IGrainFactory grains, IOptions<ApiOptions> api, IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<SampleWorkflows> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "samples");
        if (!api.Value.PreloadSamples || AgentOrleansSiloExtensions.HostingOptions(configuration).Mode != ApiMode.Embedded || !Directory.Exists(folder))
        {
            return;
        }

        // The silo accepts calls once the host has started.
        var started = new TaskCompletionSource();
        using var _ = lifetime.ApplicationStarted.Register(started.SetResult);
        await started.Task.WaitAsync(stoppingToken);
        foreach (var file in Directory.EnumerateFiles(folder).Order())
        {
            var problems = new ProblemList();
            var text = await File.ReadAllTextAsync(file, stoppingToken);
            var document = file.EndsWith(".json", StringComparison.Ordinal) ? DefinitionDocument.ParseJson(text, problems) : DefinitionDocument.ParseYaml(text, problems);
            var id = document?["id"] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var sampleId) ? sampleId : null;
            if (id is null || problems.Count > 0)
            {
                LogSkipped(logger, file);
                continue;
            }

            var published = await grains.GetGrain<IWorkflowDefinitionGrain>(id).PublishAsync(document!.ToJsonString());
            LogPublished(logger, id, published.Version, Path.GetFileName(file));
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Sample workflow {WorkflowId} is version {Version} ({File})")]
    private static partial void LogPublished(ILogger logger, string workflowId, int? version, string file);

    [LoggerMessage(2, LogLevel.Warning, "Sample {File} could not be read and was skipped")]
    private static partial void LogSkipped(ILogger logger, string file);
}
