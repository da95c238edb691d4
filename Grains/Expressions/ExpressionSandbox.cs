using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Json;

namespace AgentOrleans.Grains.Expressions;

/// <summary>The limits every expression runs under, and the JSON bridge in and out of the engine.</summary>
internal static class ExpressionSandbox
{
    public const long MemoryLimitBytes = 4_000_000;
    public const int MaxStatements = 10_000;
    public const int MaxRecursion = 64;
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(250);

    public static Engine CreateEngine() => new(options => options
        .Strict()
        .LimitMemory(MemoryLimitBytes)
        .MaxStatements(MaxStatements)
        .LimitRecursion(MaxRecursion)
        .TimeoutInterval(TimeLimit));

    public static JsValue FromJson(Engine engine, JsonNode? node) =>
        node is null ? JsValue.Null : new JsonParser(engine).Parse(node.ToJsonString());

    public static JsonNode? ToJson(Engine engine, JsValue value)
    {
        if (value.IsUndefined() || value.IsNull())
        {
            return null;
        }

        var json = new JsonSerializer(engine).Serialize(value).ToString();
        return json == "undefined" ? null : JsonNode.Parse(json);
    }
}
