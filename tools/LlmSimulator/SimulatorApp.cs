using System.Text.Json.Nodes;

namespace AgentOrleans.LlmSimulator;

/// <summary>
/// A small OpenAI-compatible chat-completions server for demos and tests: deterministic streamed
/// answers, deterministic tool calls, simulated failures, and a record of what it was sent.
/// Listens on http://127.0.0.1:5081 unless <c>--urls</c> says otherwise.
/// </summary>
public static class SimulatorApp
{
    public const string DefaultUrl = "http://127.0.0.1:5081";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RequestLog>();
        builder.Services.AddSingleton<Conversations>();
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", ChatEndpoint.HandleAsync);
        app.MapPost("/chat/completions", ChatEndpoint.HandleAsync);
        app.MapGet("/v1/models", () => Results.Text(ModelList(), "application/json"));
        app.MapGet("/_sim/requests", (RequestLog log) => Results.Text(log.ToJson().ToJsonString(), "application/json"));
        return app;
    }

    private static string ModelList() => new JsonObject
    {
        ["object"] = "list",
        ["data"] = new JsonArray(SimulatedModel.Names.Select(n => (JsonNode)new JsonObject { ["id"] = n, ["object"] = "model" }).ToArray()),
    }.ToJsonString();
}
