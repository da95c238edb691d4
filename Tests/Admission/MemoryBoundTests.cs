using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Admission;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Admission;

/// <summary>
/// The default bound on executions a silo holds in memory, reckoned from the memory available (here made small:
/// <see cref="QuotaApiFactory.MemoryBound"/> executions): a flood of long-running starts is refused cleanly.
/// </summary>
[Collection(QuotaApiCollection.Name)]
public sealed class MemoryBoundTests(QuotaApiFactory factory)
{
    [Fact]
    public async Task AFloodOfTenTimesTheBoundIsRefusedWith429sAndTheAdmittedRunsFinish()
    {
        var inMemory = factory.Services.GetRequiredService<InMemoryExecutions>();
        var api = new ApiClient(factory.ClientOf(QuotaApiFactory.Free));
        var workflow = await api.PublishAsync(new JsonObject { ["hold"] = Node("test.block", new JsonObject { ["ms"] = 4000 }) });
        var flood = 10 * inMemory.Bound;
        var seen = new ConcurrentBag<int>();

        var answers = await Task.WhenAll(Enumerable.Range(0, flood).Chunk(20).Select(async chunk =>
        {
            List<HttpResponseMessage> responses = [];
            foreach (var _ in chunk)
            {
                responses.Add(await api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflow }.ToJsonString()));
                seen.Add(inMemory.Count);
            }

            return responses;
        }));
        var all = answers.SelectMany(a => a).ToList();
        var rss = Process.GetCurrentProcess().WorkingSet64;
        var admitted = all.Where(r => r.StatusCode == HttpStatusCode.Accepted).ToList();
        var refused = all.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        var finished = new List<JsonNode>();
        foreach (var response in admitted)
        {
            finished.Add(await api.WaitTerminalAsync((await ApiClient.JsonAsync(response))["id"]!.GetValue<string>()));
        }

        // Ended runs leave memory just after they answer: asked again until they have.
        var afterwards = await Polling.UntilAsync(
            () => api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflow }.ToJsonString()), r => r.StatusCode != HttpStatusCode.TooManyRequests, Deadline, TimeSpan.FromMilliseconds(50));

        Assert.InRange(inMemory.Bound, QuotaApiFactory.MemoryBound - 1, QuotaApiFactory.MemoryBound + 1);
        Assert.Equal(flood, admitted.Count + refused.Count);
        Assert.InRange(admitted.Count, 1, flood - 1);
        Assert.True(seen.Max() <= inMemory.Bound, $"at most {inMemory.Bound} executions in memory, saw {seen.Max()}");
        Assert.True(rss < inMemory.BoundBytes, $"RSS {rss} under the bound's {inMemory.BoundBytes} bytes");
        var problem = await ApiClient.JsonAsync(refused[0]);
        Assert.Equal(TimeSpan.FromSeconds(3), refused[0].Headers.RetryAfter?.Delta);
        Assert.Contains("MemoryFraction", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(finished, f => Assert.Equal("succeeded", f["status"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Accepted, afterwards.StatusCode);
    }
}
