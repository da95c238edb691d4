namespace AgentOrleans.Grains.Workflows;

/// <summary>Reachability and cycles of a definition's graph, computed once at compile time.</summary>
internal static class GraphAnalysis
{
    public static HashSet<string> Reachable(string start, IReadOnlyDictionary<string, List<string>> successors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var pending = new Stack<string>([start]);
        while (pending.TryPop(out var node))
        {
            foreach (var next in successors.GetValueOrDefault(node) ?? [])
            {
                if (seen.Add(next))
                {
                    pending.Push(next);
                }
            }
        }

        return seen;
    }

    /// <summary>Every cycle as a strongly connected component (Tarjan): nodes that can reach each other, or a self-loop.</summary>
    public static List<List<string>> Cycles(IReadOnlyCollection<string> nodes, IReadOnlyDictionary<string, List<string>> successors)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var cycles = new List<List<string>>();
        var counter = 0;

        void Visit(string node)
        {
            index[node] = low[node] = counter++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in successors.GetValueOrDefault(node) ?? [])
            {
                if (!index.TryGetValue(next, out var nextIndex))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], nextIndex);
                }
            }

            if (low[node] != index[node])
            {
                return;
            }

            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (member != node);

            if (component.Count > 1 || (successors.GetValueOrDefault(node)?.Contains(node) ?? false))
            {
                component.Reverse();
                cycles.Add(component);
            }
        }

        foreach (var node in nodes)
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return cycles;
    }
}
