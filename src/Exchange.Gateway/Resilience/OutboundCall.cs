using Exchange.Gateway.Contracts;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Polly;

namespace Exchange.Gateway.Resilience;

/// <summary>
/// One outbound call through a region's pipeline: what may be done with it (from the method's idempotency_level)
/// and the bookkeeping of its attempts. Made per call by the forwarders; never shared between calls.
/// </summary>
internal sealed class OutboundCall
{
    /// <summary>Where the pipelines' strategies find the call they run for.</summary>
    public static readonly ResiliencePropertyKey<OutboundCall> Key = new("exchange.outbound-call");

    private readonly Lock _gate = new();
    private ulong _tried;
    private int _lastIndex = -1;
    private int _attemptsSent;
    private long _firstAttemptTicks;
    private Uri? _lastEndpoint;
    private Uri? _answeredBy;
    private bool _deadlinePassed;

    /// <summary>A call of <paramref name="plan"/> with <paramref name="options"/> (the caller's deadline less the margin, its cancellation, headers).</summary>
    public OutboundCall(MethodPlan plan, CallOptions options)
    {
        Plan = plan;
        Options = options;
        Repeatable = plan.Idempotency is MethodOptions.Types.IdempotencyLevel.NoSideEffects or MethodOptions.Types.IdempotencyLevel.Idempotent;
        Hedgeable = plan.Idempotency is MethodOptions.Types.IdempotencyLevel.NoSideEffects;
    }

    /// <summary>The method.</summary>
    public MethodPlan Plan { get; }

    /// <summary>Options of every attempt: deadline (the whole call's), the caller's cancellation, headers.</summary>
    public CallOptions Options { get; }

    /// <summary>The call's deadline (UTC), or null when it has none.</summary>
    public DateTime? Deadline => Options.Deadline;

    /// <summary>NO_SIDE_EFFECTS or IDEMPOTENT: may be repeated after it may have reached the partner.</summary>
    public bool Repeatable { get; }

    /// <summary>NO_SIDE_EFFECTS: may be raced across endpoints.</summary>
    public bool Hedgeable { get; }

    /// <summary>Whether attempts are bounded by the attempt timeout (set by the region for the call's shape).</summary>
    public bool AttemptTimeoutApplies { get; set; }

    /// <summary>
    /// Whether the call ran out of time: set by the region's deadline before it cancels what is in flight, so that
    /// whoever sees the cancellation (the endpoint's breaker, the region concluding the call) can tell it from the
    /// caller giving up or a hedge winning.
    /// </summary>
    public bool DeadlinePassed
    {
        get => Volatile.Read(ref _deadlinePassed);
        set => Volatile.Write(ref _deadlinePassed, value);
    }

    /// <summary>Attempts handed to an endpoint (past its breaker), so far.</summary>
    public int AttemptsSent => Volatile.Read(ref _attemptsSent);

    /// <summary>The backoff chosen for the next retry.</summary>
    public TimeSpan NextDelay { get; set; }

    /// <summary>Why the last attempt is being retried.</summary>
    public OutboundFailureKind RetryReason { get; set; }

    /// <summary>When the first attempt was handed to an endpoint, or null before (the audit trail's "forwarded" time).</summary>
    public DateTimeOffset? FirstAttemptAt => Interlocked.Read(ref _firstAttemptTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>The endpoint whose attempt succeeded; else the endpoint of the latest attempt; null before any.</summary>
    public Uri? Endpoint => Volatile.Read(ref _answeredBy) ?? Volatile.Read(ref _lastEndpoint);

    /// <summary>Counts an attempt handed to <paramref name="endpoint"/> at <paramref name="now"/>.</summary>
    public void CountAttempt(Uri endpoint, DateTimeOffset now)
    {
        Interlocked.CompareExchange(ref _firstAttemptTicks, now.UtcTicks, 0);
        Volatile.Write(ref _lastEndpoint, endpoint);
        Interlocked.Increment(ref _attemptsSent);
    }

    /// <summary>Notes the endpoint whose attempt succeeded (the first, if hedges race).</summary>
    public void Answered(Uri endpoint) => Interlocked.CompareExchange(ref _answeredBy, endpoint, null);

    /// <summary>
    /// The index of the endpoint for the next attempt among <paramref name="count"/>: the first attempt starts at
    /// <paramref name="firstChoice"/> (round-robin), later ones move on; an endpoint not yet tried and usable comes
    /// first, then any usable one, then (none usable) the next in turn, whose breaker will refuse it.
    /// </summary>
    public int ChooseEndpoint(int count, Func<int> firstChoice, Func<int, bool> usable)
    {
        lock (_gate)
        {
            var start = _lastIndex < 0 ? firstChoice() : (_lastIndex + 1) % count;
            var chosen = -1;
            for (var i = 0; i < count && chosen < 0; i++)
            {
                var index = (start + i) % count;
                if (!Tried(index) && usable(index))
                {
                    chosen = index;
                }
            }

            for (var i = 0; i < count && chosen < 0; i++)
            {
                var index = (start + i) % count;
                if (usable(index))
                {
                    chosen = index;
                }
            }

            chosen = chosen < 0 ? start : chosen;
            _lastIndex = chosen;
            if (chosen < 64)
            {
                _tried |= 1UL << chosen;
            }

            return chosen;
        }
    }

    /// <summary>Whether some usable endpoint has not been tried yet by this call.</summary>
    public bool HasUntried(int count, Func<int, bool> usable)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                if (!Tried(i) && usable(i))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private bool Tried(int index) => index < 64 && (_tried & (1UL << index)) != 0;
}

/// <summary>One attempt of an outbound call, as the forwarder makes it.</summary>
/// <param name="Endpoint">The endpoint chosen for it.</param>
/// <param name="Options">The call's options: deadline, the caller's cancellation, headers.</param>
/// <param name="AttemptCancellation">Ends this attempt: its timeout, a winning hedge, the call's deadline or the caller's cancellation.</param>
internal readonly record struct EndpointAttempt(Routing.RegionEndpoint Endpoint, CallOptions Options, CancellationToken AttemptCancellation);
