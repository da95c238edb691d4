using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>
/// S11's floor: one "run" that streams its model turns straight from the simulator, with no engine between, and
/// counts the stamped tokens of each chunk as it arrives (the receive time taken when the read returns).
/// </summary>
public sealed class DirectStreamClient(HttpClient http, Uri simulator, string model, TokenTally tally)
{
    public TokenTally Tally => tally;

    public string? Error { get; private set; }

    public async Task RunAsync(int turns, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","stream":true,"messages":[{"role":"user","content":"{{AgentWorkflows.Prompt}}"}]}""");
        try
        {
            for (var turn = 0; turn < turns; turn++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(simulator, "/v1/chat/completions")) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                var reader = PipeReader.Create(await response.Content.ReadAsStreamAsync(cancellationToken));
                while (true)
                {
                    var read = await reader.ReadAsync(cancellationToken);
                    var received = DateTimeOffset.UtcNow;
                    var buffer = read.Buffer;
                    while (buffer.PositionOf((byte)'\n') is { } end)
                    {
                        var line = buffer.Slice(0, end);
                        tally.Scan(line.IsSingleSegment ? line.FirstSpan : line.ToArray(), received);
                        buffer = buffer.Slice(buffer.GetPosition(1, end));
                    }

                    reader.AdvanceTo(buffer.Start, buffer.End);
                    if (read.IsCompleted)
                    {
                        break;
                    }
                }

                await reader.CompleteAsync();
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            Error = ex.GetType().Name + ": " + ex.Message;
        }
    }
}
