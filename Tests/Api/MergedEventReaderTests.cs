using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using AgentOrleans.Api.Executions;
using AgentOrleans.Grains.Executions;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentOrleans.Tests.Api;

/// <summary>The merged reader of an execution and its children over fake logs: order, tags, and exact resume from any position.</summary>
public sealed class MergedEventReaderTests
{
    private const string Root = "r";
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A parent with a subworkflow (which has a subworkflow of its own) and a map of two items, as their events
    /// were appended in time: each execution's log in seq order.
    /// </summary>
    private static Dictionary<string, List<ExecutionEvent>> Tree()
    {
        var logs = new Dictionary<string, List<ExecutionEvent>>();
        var clock = 0;
        void Add(string id, string type, JsonObject? data = null, string? node = null)
        {
            var log = logs.TryGetValue(id, out var l) ? l : logs[id] = [];
            log.Add(new ExecutionEvent(log.Count + 1, type, Start.AddMilliseconds(++clock), id, node, node is null ? null : 1, data?.ToJsonString()));
        }

        JsonObject Child(string id, string path) => new() { ["executionId"] = id, ["path"] = path, ["workflowId"] = "w" };

        Add(Root, EventTypes.ExecutionQueued);
        Add(Root, EventTypes.ExecutionStarted);
        Add(Root, EventTypes.NodeStarted, node: "sub");
        Add("r:sub:1", EventTypes.ExecutionQueued);
        Add(Root, EventTypes.ChildStarted, Child("r:sub:1", "sub"), "sub");
        Add("r:sub:1", EventTypes.ExecutionStarted);
        Add("r:sub:1", EventTypes.NodeStarted, node: "inner");
        Add("r:sub:1:inner:1", EventTypes.ExecutionQueued);
        Add("r:sub:1", EventTypes.ChildStarted, Child("r:sub:1:inner:1", "inner"), "inner");
        Add("r:sub:1:inner:1", EventTypes.ExecutionStarted);
        Add("r:sub:1:inner:1", EventTypes.ExecutionCompleted);
        Add("r:sub:1", EventTypes.NodeCompleted, node: "inner");
        Add("r:sub:1", EventTypes.ExecutionCompleted);
        Add(Root, EventTypes.NodeCompleted, node: "sub");
        Add(Root, EventTypes.NodeStarted, node: "fan");
        Add("r:fan:1:0", EventTypes.ExecutionQueued);
        Add("r:fan:1:1", EventTypes.ExecutionQueued);
        Add(Root, EventTypes.ChildStarted, Child("r:fan:1:0", "fan/0"), "fan");
        Add(Root, EventTypes.ChildStarted, Child("r:fan:1:1", "fan/1"), "fan");
        Add("r:fan:1:0", EventTypes.ExecutionStarted);
        Add("r:fan:1:1", EventTypes.ExecutionStarted);
        Add("r:fan:1:1", EventTypes.ExecutionCompleted);
        Add("r:fan:1:0", EventTypes.ExecutionCompleted);
        Add(Root, EventTypes.NodeCompleted, node: "fan");
        Add(Root, EventTypes.ExecutionCompleted);
        return logs;
    }

    private static Func<string, long, int, CancellationToken, Task<EventPage>> ReadLog(Dictionary<string, List<ExecutionEvent>> logs, List<string>? reads = null) =>
        (id, after, limit, _) =>
        {
            reads?.Add(id);
            if (!logs.TryGetValue(id, out var log))
            {
                return Task.FromResult(new EventPage([], after, null, false, false));
            }

            var page = log.Where(e => e.Seq > after).Take(limit).ToList();
            var next = page.Count > 0 ? page[^1].Seq : after;
            return Task.FromResult(new EventPage(page, next, null, true, log[^1].IsTerminal && next >= log[^1].Seq));
        };

    private static MergedEventReader Reader(Dictionary<string, List<ExecutionEvent>> logs, MergedPosition from, int pageSize = 2) =>
        new(Root, from, ReadLog(logs), watch: null, pageSize, NullLogger.Instance);

    private static async Task<List<MergedEvent>> ReadAllAsync(MergedEventReader reader, int maxPositionLength = 4096)
    {
        Assert.True(await reader.FillAsync(CancellationToken.None));
        var events = new List<MergedEvent>();
        while (true)
        {
            var next = reader.TakeNext(maxPositionLength, out var tooLong);
            if (tooLong)
            {
                return events;
            }

            if (next is not null)
            {
                events.Add(next);
            }
            else if (!reader.NeedsFill || !await reader.FillAsync(CancellationToken.None))
            {
                return events;
            }
        }
    }

    private static MergedPosition Parse(string position) =>
        MergedPosition.Parse(position, Root, out var problem) ?? throw new InvalidOperationException(problem);

    [Fact]
    public async Task EveryExecutionOfTheTreeIsReadInFullInItsOwnSeqOrderTaggedWithItsPathAndInTheOrderThingsHappened()
    {
        var logs = Tree();
        var reader = Reader(logs, MergedPosition.Start);

        var events = await ReadAllAsync(reader);

        Assert.True(reader.Ended);
        Assert.Equal(logs.Values.Sum(l => l.Count), events.Count);
        foreach (var (id, log) in logs)
        {
            Assert.Equal(log.Select(e => e.Seq), events.Where(e => e.Event.ExecutionId == id).Select(e => e.Event.Seq));
        }

        var paths = events.GroupBy(e => e.Event.ExecutionId).ToDictionary(g => g.Key, g => Assert.Single(g.Select(e => e.Path).Distinct()));
        Assert.Equal(
            new Dictionary<string, string?> { [Root] = null, ["r:sub:1"] = "sub", ["r:sub:1:inner:1"] = "sub/inner", ["r:fan:1:0"] = "fan/0", ["r:fan:1:1"] = "fan/1" },
            paths);

        // A child is announced before its events, and otherwise everything goes out as it happened.
        var all = events.Select(e => e.Event).ToList();
        foreach (var announcement in all.Where(e => e.Type == EventTypes.ChildStarted))
        {
            var child = JsonNode.Parse(announcement.DataJson!)!["executionId"]!.GetValue<string>();
            Assert.True(all.IndexOf(announcement) < all.FindIndex(e => e.ExecutionId == child), $"{child} is announced after its first event");
        }

        Assert.Equal("10", reader.Position);
    }

    [Fact]
    public async Task ResumingFromThePositionAfterAnyEventDeliversEveryRemainingEventExactlyOnce()
    {
        var logs = Tree();
        var whole = await ReadAllAsync(Reader(logs, MergedPosition.Start));
        var expected = whole.Select(e => (e.Event.ExecutionId, e.Event.Seq)).Order().ToList();

        for (var cut = 0; cut <= whole.Count; cut++)
        {
            var from = cut == 0 ? MergedPosition.Start : Parse(whole[cut - 1].Position);
            var rest = await ReadAllAsync(Reader(logs, from, pageSize: 1 + (cut % 3)));
            var seen = whole.Take(cut).Concat(rest).Select(e => (e.Event.ExecutionId, e.Event.Seq)).Order().ToList();
            Assert.True(expected.SequenceEqual(seen), $"resuming after event {cut} ({whole[Math.Max(cut - 1, 0)].Position}) gave a different set of events");
            Assert.All(rest, e => Assert.Equal(whole.First(w => w.Event == e.Event).Path, e.Path));
        }
    }

    [Fact]
    public async Task APositionNamesOnlyTheChildrenStillOpenAndIsThePlainSeqWhenThereAreNone()
    {
        var events = await ReadAllAsync(Reader(Tree(), MergedPosition.Start));

        var announcedSub = events.First(e => e.Event.Type == EventTypes.ChildStarted);
        AssertPosition(4, [new("r:sub:1", "sub", 0)], Parse(announcedSub.Position));
        var subEnded = events.First(e => e.Event.ExecutionId == "r:sub:1" && e.Event.IsTerminal);
        Assert.DoesNotContain(Parse(subEnded.Position).Children, c => c.ExecutionId == "r:sub:1");
        Assert.Equal("3", events.First(e => e.Event.Type == EventTypes.NodeStarted).Position);
        Assert.All(events.Where(e => Parse(e.Position).Children.Count > 0), e => Assert.StartsWith(MergedPosition.Prefix, e.Position, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEventWhosePositionWouldBeTooLongIsNotDelivered()
    {
        var reader = Reader(Tree(), MergedPosition.Start);

        var events = await ReadAllAsync(reader, maxPositionLength: 8);

        // Up to the first child.started, whose position would name the child.
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Event.Seq));
        Assert.Equal("3", reader.Position);
        Assert.Null(reader.TakeNext(8, out var tooLong));
        Assert.True(tooLong);
        Assert.NotNull(reader.TakeNext(4096, out _));
    }

    [Fact]
    public async Task AChildThatDoesNotExistOrDoesNotExtendItsParentsIdIsLeftOut()
    {
        var logs = Tree();
        logs.Remove("r:fan:1:1");
        var outsider = logs[Root][6];
        logs[Root][6] = outsider with { DataJson = new JsonObject { ["executionId"] = "elsewhere", ["path"] = "fan/0" }.ToJsonString() };
        logs["elsewhere"] = logs["r:fan:1:0"];
        var reader = Reader(logs, MergedPosition.Start);

        var events = await ReadAllAsync(reader);

        Assert.True(reader.Ended);
        Assert.DoesNotContain(events, e => e.Event.ExecutionId is "elsewhere" or "r:fan:1:1" or "r:fan:1:0");
        Assert.Equal(logs[Root].Count, events.Count(e => e.Event.ExecutionId == Root));
    }

    [Fact]
    public async Task LiveEventsAreTakenInOrderAndAGapHasTheLogRead()
    {
        var logs = new Dictionary<string, List<ExecutionEvent>>
        {
            [Root] = [new(1, EventTypes.ExecutionQueued, Start, Root, null, null, null)],
        };
        var reads = new List<string>();
        var streams = new List<MergedStream>();
        var reader = new MergedEventReader(Root, MergedPosition.Start, ReadLog(logs, reads), s =>
        {
            streams.Add(s);
            return Task.CompletedTask;
        }, 10, NullLogger.Instance);
        Assert.True(await reader.FillAsync(CancellationToken.None));
        Assert.Equal(1, reader.TakeNext(4096, out _)!.Event.Seq);
        var root = Assert.Single(streams);
        Assert.Equal(1, root.LiveThrough);

        ExecutionEvent Live(long seq) => new(seq, EventTypes.NodeStarted, Start.AddSeconds(seq), Root, "n", 1, null);
        logs[Root].AddRange([Live(2), Live(3), Live(4)]);
        root.Offer(Live(1));
        root.Offer(Live(2));
        Assert.Equal(2, reader.TakeNext(4096, out _)!.Event.Seq);
        Assert.False(reader.NeedsFill);
        root.Offer(Live(4));
        Assert.True(reader.NeedsFill);
        Assert.Null(root.LiveThrough);
        Assert.Null(reader.TakeNext(4096, out _));
        Assert.True(await reader.FillAsync(CancellationToken.None));
        Assert.Equal([3L, 4L], [reader.TakeNext(4096, out _)!.Event.Seq, reader.TakeNext(4096, out _)!.Event.Seq]);
        Assert.Equal([Root, Root], reads);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("abc")]
    [InlineData("c1.")]
    [InlineData("c1.%%%")]
    [InlineData("c2.WzFd")]
    [InlineData("{}")]
    [InlineData("[-1]")]
    [InlineData("[1,[\"\",\"p\",1]]")]
    [InlineData("[1,[\"a\",\"\",1]]")]
    [InlineData("[1,[\"a\",\"p\"]]")]
    [InlineData("[1,[\"a\",\"p\",1,2]]")]
    [InlineData("[1,[\"a\",\"p\",1],[\"a\",\"q\",2]]")]
    [InlineData("[1] [2]")]
    [InlineData("[1,2]")]
    public void AMalformedPositionIsRefused(string text)
    {
        var encoded = text.StartsWith('[') || text.StartsWith('{') ? MergedPosition.Prefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text)) : text;

        Assert.Null(MergedPosition.Parse(encoded, Root, out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void APositionReadsBackAsWritten()
    {
        var position = new MergedPosition(12, [new MergedPosition.Child("r:fan:1:0", "fan/0", 3), new MergedPosition.Child("r:sub:1:inner:1", "sub/inner", 0)]);
        var text = MergedPosition.Format(Root, position.Seq, position.Children, new());

        Assert.StartsWith(MergedPosition.Prefix, text, StringComparison.Ordinal);
        AssertPosition(position.Seq, [.. position.Children], Parse(text));
        Assert.Equal("7", MergedPosition.Format(Root, 7, [], new()));
        AssertPosition(7, [], Parse("7"));
    }

    private static void AssertPosition(long seq, MergedPosition.Child[] children, MergedPosition actual)
    {
        Assert.Equal(seq, actual.Seq);
        Assert.Equal(children, actual.Children);
    }
}
