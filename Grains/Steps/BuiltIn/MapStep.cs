using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Grains.Steps.BuiltIn;

/// <summary>
/// Runs a step, or a workflow as child executions, once per item of an array, at most
/// <c>parallelism</c> at a time; the output is the array of per-item outputs in item order.
/// Per-item steps do not write into the run's state (parallel writes would race).
/// </summary>
public sealed class MapStep(IGrainFactory grains, IServiceProvider services) : IStep
{
    private static readonly IReadOnlySet<string> Deferred = new HashSet<string> { "step" };
    private static readonly IReadOnlyDictionary<string, JsonTemplate> NoDeferred = new Dictionary<string, JsonTemplate>();

    public IReadOnlySet<string> DeferredSettings => Deferred;

    public void ValidateSettings(JsonObject? settings, SettingsValidation validation)
    {
        SettingsReader.RejectUnknown(settings, validation, "items", "step", "workflowId", "version", "parallelism", "itemName");
        if (!SettingsReader.IsExpression(settings?["items"]))
        {
            validation.Problem("/items", "is required: an expression ${{ … }} that yields an array");
        }

        if (settings?["parallelism"] is { } parallelism && !SettingsReader.IsWholeNumber(parallelism, 1, 64))
        {
            validation.Problem("/parallelism", "must be a whole number from 1 to 64");
        }

        if (settings?["itemName"] is { } name && !(SettingsReader.IsString(name) && name.GetValue<string>() is not ("input" or "state" or "index") && IsIdentifier(name.GetValue<string>())))
        {
            validation.Problem("/itemName", "must be a JavaScript identifier other than input, state and index");
        }

        switch (settings?["step"], settings?["workflowId"])
        {
            case (null, null):
            case (not null, not null):
                validation.Problem("", "give exactly one of 'step' and 'workflowId'");
                break;
            case (JsonObject step, null):
                ValidateItemStep(step, validation.Nested("/step"));
                break;
            case (not null, null):
                validation.Problem("/step", "must be an object with 'type' and 'with'");
                break;
            default:
                SubworkflowStep.ValidateWorkflowReference(settings, validation);
                break;
        }
    }

    private static void ValidateItemStep(JsonObject step, SettingsValidation validation)
    {
        SettingsReader.RejectUnknown(step, validation, "type", "with");
        var type = SettingsReader.IsString(step["type"]) ? step["type"]!.GetValue<string>() : null;
        if (type is null || !validation.Registry.TryGet(type, out var itemStep))
        {
            validation.Problem("/type", type is null ? "is required" : $"unknown step type '{type}'; registered: {string.Join(", ", validation.Registry.Names.Order())}");
            return;
        }

        if (itemStep is MapStep)
        {
            validation.Problem("/type", "a map cannot run a map per item; run a subworkflow that maps instead");
            return;
        }

        if (step["with"] is { } with and not JsonObject)
        {
            validation.Problem("/with", "must be an object of settings");
            return;
        }

        itemStep.ValidateSettings(step["with"] as JsonObject, validation.Nested("/with"));
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] is '_' or '$') && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '$');

    public async Task<StepResult> ExecuteAsync(StepContext context)
    {
        if (context.Settings["items"] is not JsonArray items)
        {
            throw new StepException("InvalidItems", "'items' did not evaluate to an array", retryable: false);
        }

        var itemName = SettingsReader.ReadString(context.Settings, "itemName") ?? "item";
        var results = new JsonNode?[items.Count];
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = SettingsReader.ReadInt(context.Settings, "parallelism") ?? 4,
            CancellationToken = context.CancellationToken,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), parallel, async (index, _) =>
        {
            var item = items[index]?.DeepClone();
            results[index] = context.DeferredSettings.TryGetValue("step", out var step)
                ? await RunItemStepAsync(context, step, context.Scope.With(itemName, item).With("index", index), index)
                : await ChildExecutions.RunAsync(
                    grains,
                    context,
                    childId: $"{context.IdempotencyKey}:{index}",
                    workflowId: SettingsReader.ReadString(context.Settings, "workflowId")!,
                    version: SettingsReader.ReadInt(context.Settings, "version"),
                    input: item,
                    pathSegment: $"{index}");
        });
        return new StepResult(new JsonArray(results));
    }

    private async Task<JsonNode?> RunItemStepAsync(StepContext context, JsonTemplate template, ExpressionScope scope, int index)
    {
        var call = (JsonObject)template.Render(scope)!;
        var type = call["type"]!.GetValue<string>();
        if (!services.GetRequiredService<StepRegistry>().TryGet(type, out var step))
        {
            throw new StepException("UnknownStepType", $"step type '{type}' is not registered", retryable: false);
        }

        var settings = call["with"] as JsonObject ?? [];
        var result = await step.ExecuteAsync(context.ForChild($"{index}", settings, NoDeferred, scope));
        return result.Output;
    }
}
