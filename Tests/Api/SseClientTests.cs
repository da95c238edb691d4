using System.Text.Json.Nodes;
using AgentOrleans.Client;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Api;

/// <summary>The client library's SSE follower, against the real API, with connections that break.</summary>
[Collection(ApiCollection.Name)]
public sealed class SseClientTests(ApiFactory factory)
{
    [Fact]
    public async Task TheSseFollowerSurvivesDroppedConnectionsAndDeliversEachEventOnce()
    {
        var api = new ApiClient(factory.CreateClient());
        var nodes = new JsonObject();
        for (var i = 0; i < 5; i++)
        {
            nodes[$"n{i}"] = Node("test.block", new JsonObject { ["ms"] = 100 });
        }

        var id = await api.StartAsync(await api.PublishAsync(nodes));
        var breaking = new BreakingHandler(breakEveryBytes: 700);
        var follower = new SseExecutionEvents(factory.CreateDefaultClient(breaking)) { ReconnectDelay = TimeSpan.FromMilliseconds(50) };

        var seen = new List<long>();
        using var timeout = new CancellationTokenSource(Deadline);
        await foreach (var e in follower.FollowAsync(id, cancellationToken: timeout.Token))
        {
            seen.Add(e.Seq);
        }

        Assert.True(breaking.Broken >= 2, $"expected the connection to break at least twice, it broke {breaking.Broken} times");
        Assert.Equal(Enumerable.Range(1, 13).Select(i => (long)i), seen);
    }

    [Fact]
    public async Task TheSseFollowerResumesAfterAGivenSeqAndReportsUnknownExecutions()
    {
        var api = new ApiClient(factory.CreateClient());
        var id = await api.StartAsync(await api.PublishAsync(new JsonObject { ["a"] = Node("test.count") }));
        await api.WaitTerminalAsync(id);
        var follower = new SseExecutionEvents(factory.CreateClient());

        var tail = new List<long>();
        await foreach (var e in follower.FollowAsync(id, after: 3))
        {
            tail.Add(e.Seq);
        }

        Assert.Equal([4L, 5L], tail);
        await Assert.ThrowsAsync<ExecutionNotFoundException>(async () =>
        {
            await foreach (var _ in follower.FollowAsync(NewId("ex")))
            {
            }
        });
    }

    /// <summary>Cuts every event stream after a number of bytes, as a flaky proxy would.</summary>
    private sealed class BreakingHandler(int breakEveryBytes) : DelegatingHandler
    {
        private int _broken;

        public int Broken => _broken;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
            {
                var inner = await response.Content.ReadAsStreamAsync(cancellationToken);
                response.Content = new StreamContent(new BreakingStream(inner, breakEveryBytes, () => Interlocked.Increment(ref _broken)));
                response.Content.Headers.ContentType = new("text/event-stream");
            }

            return response;
        }
    }

    private sealed class BreakingStream(Stream inner, int limit, Action onBreak) : Stream
    {
        private int _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_read >= limit)
            {
                onBreak();
                throw new IOException("connection reset by the test");
            }

            var n = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, limit - _read)], cancellationToken);
            _read += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
