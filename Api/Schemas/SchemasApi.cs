using AgentOrleans.Grains.Auth;

namespace AgentOrleans.Api.Schemas;

public static class SchemasApi
{
    /// <summary>Serves the workflow definition JSON Schema checked into <c>schemas/workflow.json</c>.</summary>
    public static IEndpointRouteBuilder MapSchemas(this IEndpointRouteBuilder routes)
    {
        var schema = ReadSchema();
        routes.MapGet("/v1/schemas/workflow.json", () => TypedResults.Text(schema, "application/schema+json"))
            .WithTags("Workflows")
            .WithSummary("The JSON Schema of workflow definitions")
            .RequireAuthorization(AuthPolicies.WorkflowsRead);
        return routes;
    }

    private static string ReadSchema()
    {
        using var stream = typeof(SchemasApi).Assembly.GetManifestResourceStream("workflow.json")
            ?? throw new InvalidOperationException("the workflow schema is not embedded");
        return new StreamReader(stream).ReadToEnd();
    }
}
