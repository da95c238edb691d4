using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentOrleans.Benchmarks.ChatClients;
using AgentOrleans.Benchmarks.Load;
using AgentOrleans.LlmSimulator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;

// CPU per 1,000 streamed tokens, each leg on the same in-process simulator (no token delay), legs interleaved
// round by round so drift on the shared machine touches them alike. CPU is the whole process's (simulator
// included): the raw leg is the floor, and a client's own cost is its figure minus the floor's.
var root = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
var output = Path.Combine(root, "benchmarks/results/chat-clients.json");
const int Rounds = 7;
const int RequestsPerLeg = 40;
const int TokensPerAnswer = 1000;

var simulator = SimulatorApp.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
await simulator.StartAsync();
var baseUrl = simulator.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
var endpoint = new Uri(baseUrl + "/chat/completions");
using var http = new HttpClient(new NoDelay(new SocketsHttpHandler())) { Timeout = TimeSpan.FromMinutes(5) };
// "You said: " and 998 words: one word per chunk, 1,000 content chunks.
var prompt = string.Join(' ', Enumerable.Range(0, TokensPerAnswer - 2).Select(i => $"w{i}"));
JsonObject Body() => new()
{
    ["model"] = "sim-fast",
    ["stream"] = true,
    ["stream_options"] = new JsonObject { ["include_usage"] = true },
    ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
};
var options = new OpenAIClientOptions { Endpoint = new Uri(baseUrl), Transport = new HttpClientPipelineTransport(http), RetryPolicy = new ClientRetryPolicy(0) };
var bare = new OpenAI.Chat.ChatClient("sim-fast", new System.ClientModel.ApiKeyCredential("unused"), options).AsIChatClient();
var wired = bare.AsBuilder().UseOpenTelemetry(sourceName: "AgentOrleans.GenAI").Build();
List<ChatMessage> messages = [new(ChatRole.User, prompt)];

var legs = new (string Variant, Func<Task<int>> Stream)[]
{
    ("floor-raw-bytes", async () =>
    {
        using var response = await http.PostAsync(endpoint, new StringContent(Body().ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[16384];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }

        return TokensPerAnswer;
    }),
    ("hand-written", () => HandWrittenClient.StreamAsync(http, endpoint, Body(), CancellationToken.None)),
    ("meai-openai", async () =>
    {
        var tokens = 0;
        await foreach (var update in bare.GetStreamingResponseAsync(messages))
        {
            tokens += update.Text.Length > 0 ? 1 : 0;
        }

        return tokens;
    }),
    ("meai-openai-otel-as-wired", async () =>
    {
        var tokens = 0;
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in wired.GetStreamingResponseAsync(messages, new ChatOptions { ModelId = "sim-fast" }))
        {
            updates.Add(update);
            tokens += update.Text.Length > 0 ? 1 : 0;
        }

        _ = updates.ToChatResponse();
        return tokens;
    }),
};

var process = Process.GetCurrentProcess();
var load = RunInfo.LoadAverage();
foreach (var (_, stream) in legs)
{
    for (var i = 0; i < 5; i++)
    {
        await stream();
    }
}

var lines = new List<Line>();
for (var round = 1; round <= Rounds; round++)
{
    foreach (var (variant, stream) in legs)
    {
        GC.Collect();
        var loadAtStart = RunInfo.LoadAverage();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var tokens = 0;
        for (var i = 0; i < RequestsPerLeg; i++)
        {
            tokens += await stream();
        }

        process.Refresh();
        var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        var settings = new JsonObject
        {
            ["requests"] = RequestsPerLeg,
            ["tokens_per_answer"] = TokensPerAnswer,
            ["tokens_counted"] = tokens,
            ["wall_ms"] = Math.Round(wall.Elapsed.TotalMilliseconds, 1),
            ["loadavg_at_start"] = loadAtStart,
            ["method"] = "process CPU (user+system, simulator in the same process) over sequential streamed answers from tools/LlmSimulator with no token delay, per 1,000 content chunks; legs interleaved by round after a warm-up",
        };
        lines.Add(new Line("L1", variant, "cpu_ms_per_1000_tokens", "ms", Stats.Round(cpuMs * 1000 / (RequestsPerLeg * TokensPerAnswer)), settings));
        Console.Error.WriteLine($"round {round} {variant}: {cpuMs * 1000 / (RequestsPerLeg * TokensPerAnswer):0.00} ms CPU per 1,000 tokens ({tokens} tokens, {wall.ElapsedMilliseconds} ms)");
    }
}

var versions = RunInfo.Versions(root);
versions["microsoft_extensions_ai"] = typeof(ChatClientBuilder).Assembly.GetName().Version?.ToString();
versions["openai"] = typeof(OpenAIClient).Assembly.GetName().Version?.ToString();
FiguresFile.Write(output, "agentorleans", "full", RunInfo.Machine(load, "shared machine, run under the build lock; the simulator shares the process"), versions, lines);
await simulator.StopAsync();

/// <summary>Asks the simulator for no delay between tokens, so the run measures CPU, not sleeps.</summary>
internal sealed class NoDelay(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Add("X-Sim-Token-Delay-Ms", "0");
        return base.SendAsync(request, cancellationToken);
    }
}
