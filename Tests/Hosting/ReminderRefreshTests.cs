using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using System.Globalization;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Hosting;

/// <summary>
/// Every run registers a recovery reminder and removes it when it ends; Orleans keeps the removed one in memory
/// as a tombstone until the silo next refreshes its reminder list (<c>AgentOrleans:Cluster:ReminderRefreshPeriod</c>,
/// 1 s in the test Api, Orleans' default 5 min). Finished runs must not pile up there.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ReminderRefreshTests(ApiFactory factory)
{
    private const int RunCount = 20;
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task FinishedRunsLeaveNoReminderInTheSilosMemory()
    {
        using var reminders = new LocalReminderCount(factory.Services.GetRequiredService<IMeterFactory>());
        var workflowId = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var before = reminders.Read();

        var ids = new List<string>();
        for (var i = 0; i < RunCount; i++)
        {
            ids.Add(await _api.StartAsync(workflowId));
        }

        foreach (var id in ids)
        {
            Assert.Equal("succeeded", (await _api.WaitTerminalAsync(id))["status"]!.GetValue<string>());
        }

        // Earlier tests' runs may still hold reminders or tombstones, so the count is compared with its value
        // before these runs: with Orleans' 5-minute refresh it stays 20 higher for minutes.
        var now = reminders.Read();
        await Polling.UntilAsync(() => (now = reminders.Read()) <= before, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));

        Assert.True(now <= before, $"the silo still holds {now} local reminders, {before} before {RunCount} runs that have all ended");

        // And the table holds none of them (the recovery reminder ticks once a minute here, so its own clean-up is not what removed them).
        var table = factory.Services.GetRequiredService<IReminderTable>();
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        foreach (var id in ids)
        {
            Assert.Null(await table.ReadRow(grains.GetGrain<IExecutionGrain>(id).GetGrainId(), "recover"));
        }
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:10:01")]
    public void APeriodOrleansWouldRefuseIsAProblemNamedAtStart(string period)
    {
        var options = new OrleansHostingOptions { ReminderRefreshPeriod = TimeSpan.Parse(period, CultureInfo.InvariantCulture) };

        Assert.Contains(options.Problems(), p => p.Contains("ReminderRefreshPeriod", StringComparison.Ordinal));
        Assert.Empty(new OrleansHostingOptions().Problems());
    }

    /// <summary>Orleans' <c>orleans-reminders-active</c> gauge (the silo's local reminders, tombstones included) of one host's meter.</summary>
    private sealed class LocalReminderCount : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _last;

        public LocalReminderCount(IMeterFactory meters)
        {
            var orleans = meters.Create("Microsoft.Orleans");
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, orleans) && instrument.Name == "orleans-reminders-active")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, value, _, _) => _last = value);
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => _last = value);
            _listener.Start();
        }

        public long Read()
        {
            _last = -1;
            _listener.RecordObservableInstruments();
            Assert.True(_last >= 0, "Orleans' orleans-reminders-active gauge was not observed");
            return _last;
        }

        public void Dispose() => _listener.Dispose();
    }
}
