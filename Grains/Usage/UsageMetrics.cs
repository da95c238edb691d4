using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Telemetry;

namespace AgentOrleans.Grains.Usage;

/// <summary>
/// Model usage on the <c>AgentOrleans</c> meter: <c>agentorleans.llm.tokens</c> (tag <c>direction</c> input or output)
/// and <c>agentorleans.llm.cost</c>, both tagged with model, tenant and workflow. Counted where the call is made, once
/// per call: a child's usage rolled up into its parent is not counted again.
/// </summary>
public sealed class UsageMetrics
{
    private readonly Counter<long> _tokens;
    private readonly Counter<double> _cost;

    public UsageMetrics(AgentOrleansMetrics metrics)
    {
        _tokens = metrics.Meter.CreateCounter<long>("agentorleans.llm.tokens", "{token}", "Tokens of model calls (tags model, tenant, workflow, direction)");
        _cost = metrics.Meter.CreateCounter<double>("agentorleans.llm.cost", "{cost}", "Estimated cost of model calls at the configured prices (tags model, tenant, workflow)");
    }

    public void Called(string model, string tenant, string workflow, ModelUsage usage)
    {
        var tags = new TagList { { "model", model }, { "tenant", tenant }, { "workflow", workflow } };
        var input = tags;
        input.Add("direction", "input");
        var output = tags;
        output.Add("direction", "output");
        _tokens.Add(usage.InputTokens, input);
        _tokens.Add(usage.OutputTokens, output);
        _cost.Add((double)usage.Cost, tags);
    }
}
