using System.Text.Json.Nodes;

namespace AgentOrleans.LlmSimulator;

/// <summary>One request the simulator received and how it ended.</summary>
public sealed class SimulatedRequest(int id, DateTimeOffset receivedAt, string? model, string? authorization, JsonNode? body)
{
    public int Id { get; } = id;

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    public string? Model { get; } = model;

    /// <summary>The Authorization header as received (the simulator checks nothing; tests do).</summary>
    public string? Authorization { get; } = authorization;

    public JsonNode? Body { get; } = body;

    public int Status { get; set; } = 200;

    /// <summary>The whole answer was sent, through <c>[DONE]</c>.</summary>
    public bool Completed { get; set; }

    /// <summary>The simulator cut the stream on purpose (<c>sim-drop</c>).</summary>
    public bool Dropped { get; set; }

    /// <summary>The client closed the connection before the answer was complete.</summary>
    public bool ClientClosed { get; set; }

    /// <summary>
    /// When the simulator was done with the request: just before the last bytes of the answer are
    /// written, so a client cannot have seen the end before this time (tests measure concurrency with it).
    /// </summary>
    public DateTimeOffset? EndedAt { get; set; }

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["receivedAt"] = ReceivedAt,
        ["model"] = Model,
        ["authorization"] = Authorization,
        ["status"] = Status,
        ["completed"] = Completed,
        ["dropped"] = Dropped,
        ["clientClosed"] = ClientClosed,
        ["endedAt"] = EndedAt,
        ["body"] = Body?.DeepClone(),
    };
}
