using Exchange.Gateway.Routing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Exchange.Gateway.Resilience;

/// <summary>
/// The pipeline of one endpoint, built once: its circuit breaker (counting transport failures only), then the
/// attempt timeout. The breaker's state is what the gauge, the health check and endpoint selection read.
/// </summary>
internal sealed class EndpointResilience
{
    /// <summary>Whether the attempt timeout applies to the attempt being run (set per call in the context).</summary>
    public static readonly ResiliencePropertyKey<bool> AttemptTimeoutApplies = new("exchange.attempt-timeout-applies");

    private readonly CircuitBreakerStateProvider? _state;
    private readonly TimeProvider _time;
    private long _openUntilTicks;

    public EndpointResilience(RegionEndpoint endpoint, EndpointSettings settings, TimeProvider time, ILogger logger)
    {
        Endpoint = endpoint;
        AttemptTimeout = settings.AttemptTimeout;
        _time = time;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time, Name = $"endpoint {endpoint.RegionCode} {endpoint.Address}" };
        var breaker = settings.CircuitBreaker;
        if (breaker.Enabled)
        {
            var state = _state = new CircuitBreakerStateProvider();
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                StateProvider = state,
                // Polly counts every outcome it does not handle as a success. An attempt cut short by the call's
                // deadline is the endpoint not answering in time: a failure (side-effecting attempts have no attempt
                // timeout, so a hung partner would otherwise never be cut off). One the caller gave up on, or a losing
                // hedge, proves nothing either way; while half-open it counts as a failure all the same, since as a
                // success it would close the breaker of an endpoint that never answered.
                ShouldHandle = args => new ValueTask<bool>(
                    OutboundFailures.IsTransportFailure(args.Outcome.Exception)
                    || (args.Outcome.Exception is OperationCanceledException
                        && (state.CircuitState == CircuitState.HalfOpen
                            || (args.Context.Properties.TryGetValue(OutboundCall.Key, out var call) && call.DeadlinePassed)))),
                OnOpened = args =>
                {
                    Volatile.Write(ref _openUntilTicks, (time.GetUtcNow() + args.BreakDuration).UtcTicks);
                    ResilienceLog.CircuitOpened(logger, endpoint.RegionCode, endpoint.Address, args.BreakDuration);
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    ResilienceLog.CircuitHalfOpened(logger, endpoint.RegionCode, endpoint.Address);
                    return default;
                },
                OnClosed = _ =>
                {
                    ResilienceLog.CircuitClosed(logger, endpoint.RegionCode, endpoint.Address);
                    return default;
                },
            });
        }

        Pipeline = builder
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = args => new ValueTask<TimeSpan>(
                    args.Context.Properties.GetValue(AttemptTimeoutApplies, false) ? AttemptTimeout : System.Threading.Timeout.InfiniteTimeSpan),
            })
            .Build();
    }

    /// <summary>The endpoint.</summary>
    public RegionEndpoint Endpoint { get; }

    /// <summary>Its attempt timeout.</summary>
    public TimeSpan AttemptTimeout { get; }

    /// <summary>Breaker, then attempt timeout.</summary>
    public ResiliencePipeline Pipeline { get; }

    /// <summary>Whether the endpoint has a circuit breaker.</summary>
    public bool HasBreaker => _state is not null;

    /// <summary>The breaker's state (Closed when it has none).</summary>
    public CircuitState State => _state?.CircuitState ?? CircuitState.Closed;

    /// <summary>
    /// Whether an attempt may be sent to the endpoint now: its breaker is closed or half-open, or open with its break
    /// over (Polly moves it to half-open on the next call, which is then the probe).
    /// </summary>
    public bool IsUsable(DateTimeOffset now) => State switch
    {
        CircuitState.Closed or CircuitState.HalfOpen => true,
        CircuitState.Open => now.UtcTicks >= Volatile.Read(ref _openUntilTicks),
        _ => false,
    };
}
