using System.Text;
using System.Text.Json;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;

namespace AgentOrleans.Grains.Webhooks;

/// <summary>
/// The body of a delivery, in the Standard Webhooks shape <c>{"type", "timestamp", "data"}</c>; <c>data</c> is the event's
/// wire form as the events endpoint serves it, with the execution id as its tenant names it.
/// </summary>
public static class WebhookPayload
{
    public static WebhookMessage Message(string executionKey, ExecutionEvent e) =>
        new(WebhookSigner.MessageId(executionKey, e.Seq), TenantKey.Parse(executionKey).Id, e.Seq, e.Type, e.At, Json(TenantKey.Parse(executionKey).Id, e));

    private static string Json(string executionId, ExecutionEvent e)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", e.Type);
            writer.WriteString("timestamp", e.At);
            writer.WriteStartObject("data");
            writer.WriteNumber("seq", e.Seq);
            writer.WriteString("type", e.Type);
            writer.WriteString("at", e.At);
            writer.WriteString("executionId", executionId);
            if (e.NodeId is not null)
            {
                writer.WriteString("nodeId", e.NodeId);
                writer.WriteNumber("attempt", e.Attempt ?? 1);
            }

            writer.WritePropertyName("data");
            writer.WriteRawValue(e.DataJson ?? "{}", skipInputValidation: true);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
