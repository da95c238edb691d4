using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>Sums what one meter instance records, by instrument and <c>workflow</c> tag (other hosts in the process are ignored).</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string? Workflow), double> _sums = new();

    public MetricRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public double Sum(string instrument, string workflow) => _sums.GetValueOrDefault((instrument, workflow));

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? workflow = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "workflow")
            {
                workflow = tag.Value as string;
            }
        }

        _sums.AddOrUpdate((instrument.Name, workflow), value, (_, sum) => sum + value);
    }
}
