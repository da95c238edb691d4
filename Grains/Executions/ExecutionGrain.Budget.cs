using System.Text.Json.Nodes;
using AgentOrleans.Grains.Usage;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// A run waiting for budget: a <c>budget</c> signal whose payload gives new limits (<c>{"tokens"?, "cost"?}</c>) above
/// what is used raises the budget and runs the stopped attempt again; a payload that does not is refused and changes nothing.
/// </summary>
internal sealed partial class ExecutionGrain
{
    private async Task<SignalResult> TakeBudgetAsync(SendSignal signal)
    {
        var problems = new ProblemList();
        var payload = signal.PayloadJson is null ? null : JsonNode.Parse(signal.PayloadJson);
        var current = Execution.Budget ?? new ExecutionBudget(null, null, Wait: true);
        if (BudgetReader.ReadRaise(payload, current, Execution.Usage, problems) is not { } raised)
        {
            return new SignalResult(SignalOutcome.Invalid, null, Execution.Status, $"the budget signal does not raise the budget of node '{Execution.CurrentNodeId}'") { Problems = problems };
        }

        var taken = _transitions.ReceiveSignal(signal, buffered: false);
        _transitions.RaiseBudget(raised);
        _continuesAfterWait = true;
        await ContinueAfterParkAsync();
        return new SignalResult(SignalOutcome.Accepted, taken.Id, Execution.Status, $"budget raised; node '{Execution.CurrentNodeId}' goes on");
    }
}
