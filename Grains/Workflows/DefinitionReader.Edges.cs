using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Workflows;

/// <summary>The edges: where each one goes and the condition it is taken on.</summary>
public static partial class DefinitionReader
{
    private static readonly string[] EdgeFields = ["from", "to", "when"];

    private static List<EdgeDefinition> ReadEdges(JsonNode? value, ProblemList problems)
    {
        var edges = new List<EdgeDefinition>();
        if (value is null)
        {
            return edges;
        }

        if (value is not JsonArray array)
        {
            problems.Add("/edges", "must be an array of edges");
            return edges;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var pointer = $"/edges/{i}";
            if (array[i] is not JsonObject edge)
            {
                problems.Add(pointer, "an edge must be an object with 'from' and 'to'");
                continue;
            }

            RejectUnknown(edge, pointer, EdgeFields, problems);
            var from = RequiredString(edge, "from", pointer, problems);
            var to = RequiredString(edge, "to", pointer, problems);
            var when = OptionalString(edge, "when", pointer, problems);
            if (from is not null && to is not null)
            {
                edges.Add(new EdgeDefinition(i, from, to, when));
            }
        }

        return edges;
    }
}
