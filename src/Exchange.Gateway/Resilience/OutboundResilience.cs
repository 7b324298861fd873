using System.Diagnostics.Metrics;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Routing;
using Polly.CircuitBreaker;

namespace Exchange.Gateway.Resilience;

/// <summary>
/// The resilience pipelines of every route and endpoint, built once from configuration and kept for the life of the
/// gateway (breaker states, budgets and bulkheads live in them). Publishes the breaker states as a gauge.
/// </summary>
internal sealed class OutboundResilience : IDisposable
{
    private readonly Dictionary<RegionRoute, RegionResilience> _regions;

    public OutboundResilience(RouteTable routes, GatewayOptions options, TimeProvider time, ResilienceTelemetry telemetry, ILogger<OutboundResilience> logger)
    {
        _regions = routes.Routes.ToDictionary(route => route, route => new RegionResilience(route, options.Resilience, time, telemetry, logger));
        Regions = [.. _regions.Values.OrderBy(r => r.Route.Code, StringComparer.Ordinal)];
        telemetry.ObserveCircuits(Measure);
    }

    /// <summary>Every region's pipelines, by route code.</summary>
    public IReadOnlyList<RegionResilience> Regions { get; }

    /// <summary>The pipelines of <paramref name="route"/>.</summary>
    public RegionResilience For(RegionRoute route) => _regions[route];

    /// <summary>The state of every endpoint's breaker (endpoints without one are left out).</summary>
    public IReadOnlyList<(string Region, Uri Endpoint, CircuitState State)> Circuits() =>
        [.. Regions.SelectMany(r => r.Endpoints.Where(e => e.HasBreaker).Select(e => (r.Route.Code, e.Endpoint.Address, e.State)))];

    /// <summary>The gauge's value for a state: 0 closed, 1 open (or isolated), 2 half-open.</summary>
    public static int GaugeValue(CircuitState state) => state switch
    {
        CircuitState.Closed => 0,
        CircuitState.HalfOpen => 2,
        _ => 1,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var region in _regions.Values)
        {
            region.Dispose();
        }
    }

    private IEnumerable<Measurement<int>> Measure() =>
        Circuits().Select(c => new Measurement<int>(
            GaugeValue(c.State),
            new KeyValuePair<string, object?>("exchange.region", c.Region),
            new KeyValuePair<string, object?>("exchange.endpoint", c.Endpoint.ToString())));
}
