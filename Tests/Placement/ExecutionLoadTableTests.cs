using System.Net;
using AgentOrleans.Grains.Placement;

namespace AgentOrleans.Tests.Placement;

public sealed class ExecutionLoadTableTests
{
    private static readonly SiloAddress Busy = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11001), 1);
    private static readonly SiloAddress Idle = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11002), 1);
    private static readonly SiloAddress Joined = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11003), 1);

    [Fact]
    public void TheLeastLoadedSiloIsPickedAndEachPickCountsUntilTheNextReport()
    {
        var table = new ExecutionLoadTable();
        table.Update(new() { [Busy] = 3, [Idle] = 0 });

        var picks = Enumerable.Range(0, 5).Select(_ => table.Pick([Busy, Idle])).ToList();

        // Idle takes three to catch up; then the two are level and share.
        Assert.Equal([Idle, Idle, Idle], picks.Take(3));
        Assert.Equal(1, picks.Skip(3).Count(p => p == Busy));
        Assert.Equal(1, picks.Skip(3).Count(p => p == Idle));
    }

    [Fact]
    public void ASiloWithoutAReportCountsAsEmpty()
    {
        var table = new ExecutionLoadTable();
        table.Update(new() { [Busy] = 2, [Idle] = 1 });

        Assert.Equal(Joined, table.Pick([Busy, Idle, Joined]));
    }

    [Fact]
    public void ANewReportReplacesThePicksCountedSince()
    {
        var table = new ExecutionLoadTable();
        table.Update(new() { [Busy] = 1, [Idle] = 0 });
        table.Pick([Busy, Idle]);
        table.Pick([Busy, Idle]);

        table.Update(new() { [Busy] = 5, [Idle] = 2 });

        Assert.Equal(Idle, table.Pick([Busy, Idle]));
    }
}
