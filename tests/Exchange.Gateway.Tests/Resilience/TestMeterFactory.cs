using System.Diagnostics.Metrics;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>Makes plain meters and disposes them: a test's instruments are its own, whatever runs beside it.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
