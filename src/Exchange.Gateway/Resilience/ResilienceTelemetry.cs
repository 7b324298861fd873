using System.Diagnostics.Metrics;
using Exchange.Gateway.Telemetry;

namespace Exchange.Gateway.Resilience;

/// <summary>
/// The resilience metrics, on a meter of the gateway's name from the host's meter factory (so each gateway in a
/// process has its own, and OpenTelemetry's "Exchange.Gateway" subscription picks them up). Tags are region codes,
/// endpoint addresses, participant ids and reasons: never a request field.
/// </summary>
internal sealed class ResilienceTelemetry
{
    private readonly Counter<long> _retries;
    private readonly Counter<long> _hedges;
    private readonly Counter<long> _bulkheadRejections;
    private readonly Counter<long> _rateLimitRejections;
    private readonly Counter<long> _circuitRejections;

    public ResilienceTelemetry(IMeterFactory meters)
    {
        Meter = meters.Create(GatewayTelemetry.Name);
        _retries = Meter.CreateCounter<long>(
            "exchange.gateway.retries", unit: "{retry}", description: "Outbound attempts repeated after a failure, by region and reason.");
        _hedges = Meter.CreateCounter<long>(
            "exchange.gateway.hedges", unit: "{hedge}", description: "Hedged attempts sent to another endpoint of a region, by region.");
        _bulkheadRejections = Meter.CreateCounter<long>(
            "exchange.gateway.bulkhead.rejections", unit: "{exchange}", description: "Exchanges refused because their region's bulkhead was full, by region.");
        _rateLimitRejections = Meter.CreateCounter<long>(
            "exchange.gateway.rate_limit.rejections", unit: "{exchange}", description: "Exchanges refused by a participant's rate limit, by participant.");
        _circuitRejections = Meter.CreateCounter<long>(
            "exchange.gateway.circuit.rejections", unit: "{attempt}", description: "Attempts not sent because the endpoint's circuit breaker was open, by region and endpoint.");
    }

    /// <summary>The meter (tests listen to this instance only).</summary>
    public Meter Meter { get; }

    /// <summary>Publishes the breaker states as the gauge exchange.gateway.circuit.state (0 closed, 1 open, 2 half-open).</summary>
    public void ObserveCircuits(Func<IEnumerable<Measurement<int>>> observe) =>
        Meter.CreateObservableGauge(
            "exchange.gateway.circuit.state",
            observe,
            unit: "{state}",
            description: "Circuit breaker state per endpoint: 0 closed, 1 open, 2 half-open; tagged with region and endpoint.");

    public void Retried(string regionCode, OutboundFailureKind reason) =>
        _retries.Add(1, new KeyValuePair<string, object?>("exchange.region", regionCode), new KeyValuePair<string, object?>("exchange.retry.reason", ReasonTag(reason)));

    public void Hedged(string regionCode) => _hedges.Add(1, new KeyValuePair<string, object?>("exchange.region", regionCode));

    public void BulkheadRejected(string regionCode) => _bulkheadRejections.Add(1, new KeyValuePair<string, object?>("exchange.region", regionCode));

    public void RateLimited(string participantId) => _rateLimitRejections.Add(1, new KeyValuePair<string, object?>("exchange.participant", participantId));

    public void CircuitRejected(string regionCode, Uri endpoint) =>
        _circuitRejections.Add(1, new KeyValuePair<string, object?>("exchange.region", regionCode), new KeyValuePair<string, object?>("exchange.endpoint", endpoint.ToString()));

    private static string ReasonTag(OutboundFailureKind reason) => reason switch
    {
        OutboundFailureKind.NotSent => "not_sent",
        OutboundFailureKind.Unavailable => "unavailable",
        OutboundFailureKind.AttemptTimedOut => "attempt_timeout",
        _ => "other",
    };
}
