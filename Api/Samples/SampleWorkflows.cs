using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.StartupTasks;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Api.Samples;

/// <summary>
/// The embedded default's startup task <c>samples</c>: the built-in workflow publishing the folder <c>samples/</c>, so a
/// newcomer can start one with the README's curl. Its run key is the samples' content hash, so it runs again only when
/// they change (in memory every start is a new cluster, so it runs at every start). A task named <c>samples</c> in
/// configuration replaces it; <see cref="ApiOptions.PreloadSamples"/> false leaves it out.
/// </summary>
public static class SampleWorkflows
{
    public const string TaskName = "samples";

    private const string Folder = "samples";

    public static IServiceCollection AddSampleWorkflowsTask(this IServiceCollection services)
    {
        services.AddOptions<StartupTaskOptions>().PostConfigure<IOptions<ApiOptions>, IConfiguration>((tasks, api, configuration) =>
        {
            var folder = Path.Combine(AppContext.BaseDirectory, Folder);
            if (api.Value.PreloadSamples && AgentOrleansSiloExtensions.HostingOptions(configuration).Mode == ApiMode.Embedded
                && !tasks.Tasks.ContainsKey(TaskName) && Directory.Exists(folder))
            {
                var input = new JsonObject { ["directory"] = Folder }.ToJsonString();
                tasks.Tasks[TaskName] = new StartupTask(TaskName, BuiltInWorkflows.PublishWorkflows, null, input, RunKey(folder), GatesReadiness: false);
            }
        });
        return services;
    }

    private static string RunKey(string folder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return "samples-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }
}
