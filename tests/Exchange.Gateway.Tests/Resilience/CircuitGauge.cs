using System.Diagnostics.Metrics;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>Reads the gauge exchange.gateway.circuit.state of one meter (a harness's or a gateway's).</summary>
internal static class CircuitGauge
{
    /// <summary>Every measurement the gauge reports now, as "region endpoint value".</summary>
    public static string[] Read(Meter meter)
    {
        var measured = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "exchange.gateway.circuit.state")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            var byName = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            measured.Add($"{byName["exchange.region"]} {byName["exchange.endpoint"]} {value}");
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return [.. measured];
    }
}
