using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Exchange.Gateway.Tests.Idempotency;

/// <summary>
/// Counts <c>exchange.gateway.idempotency.calls</c> by handling for one method path, so tests running alongside
/// (other paths) are not counted.
/// </summary>
internal sealed class HandlingCounts : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public HandlingCounts(string method)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "exchange.gateway.idempotency.calls")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? path = null;
            string? handling = null;
            foreach (var tag in tags)
            {
                path = tag.Key == "rpc.method" ? tag.Value as string : path;
                handling = tag.Key == "exchange.idempotency.handling" ? tag.Value as string : handling;
            }

            if (path == method && handling is not null)
            {
                _counts.AddOrUpdate(handling, (int)value, (_, count) => count + (int)value);
            }
        });
        _listener.Start();
    }

    /// <summary>Calls handled as <paramref name="handling"/> so far.</summary>
    public int this[string handling] => _counts.TryGetValue(handling, out var count) ? count : 0;

    public void Dispose() => _listener.Dispose();
}
