namespace Exchange.Gateway.Configuration;

/// <summary>
/// How the gateway keeps partner regions and callers from hurting each other (section "Exchange:Resilience"): a Polly
/// pipeline around every outbound call (attempt timeout, retry within a budget, a circuit breaker per endpoint,
/// hedging across a region's endpoints), a bulkhead per partner region and a rate limit per calling participant.
/// <see cref="Overrides"/> changes any of it for one route or one endpoint. docs/resilience.md gives the reason for
/// every default. Validated at start with the rest of the configuration.
/// </summary>
public sealed record ResilienceOptions
{
    /// <summary>
    /// How long one attempt of a method that may be repeated (NO_SIDE_EFFECTS or IDEMPOTENT) may take before it is
    /// abandoned and, time allowing, retried. Default 10 s. A side-effecting method's only attempt runs until the
    /// caller's deadline instead: cutting it short would only turn a late answer into an unknown outcome.
    /// </summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of failed attempts.</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>The retry budget of each region, so a dead partner does not multiply the load sent to it.</summary>
    public RetryBudgetOptions RetryBudget { get; init; } = new();

    /// <summary>The circuit breaker of each endpoint.</summary>
    public CircuitBreakerOptions CircuitBreaker { get; init; } = new();

    /// <summary>Hedging of NO_SIDE_EFFECTS calls across the endpoints of a region that has several.</summary>
    public HedgingOptions Hedging { get; init; } = new();

    /// <summary>The bulkhead of each region: how many calls to it may be in flight and wait.</summary>
    public BulkheadOptions Bulkhead { get; init; } = new();

    /// <summary>The rate limit of each calling participant.</summary>
    public RateLimitOptions RateLimit { get; init; } = new();

    /// <summary>
    /// Changes for one route (<see cref="ResilienceOverrideOptions.Endpoint"/> unset) or one endpoint of it. An endpoint
    /// override wins over its route's, which wins over the values above. Default none.
    /// </summary>
    public ResilienceOverrideOptions[] Overrides { get; init; } = [];
}

/// <summary>
/// Retries of a failed attempt. A NO_SIDE_EFFECTS or IDEMPOTENT call is retried after UNAVAILABLE, or after its
/// attempt timed out while the caller's deadline still leaves time; any call (a side-effecting one too) is retried
/// when the request provably never reached the partner (connection refused, HTTP/2 REFUSED_STREAM, the endpoint's
/// breaker open). Retries resend the same bytes, so a side-effecting call keeps its request_id.
/// </summary>
public sealed record RetryOptions
{
    /// <summary>Attempts per call, the first included; 1 turns retries off. At most 5 (as gRPC caps it). Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The backoff before the first retry, before jitter. Default 100 ms.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Factor by which the backoff grows with each retry. Default 2.</summary>
    public double BackoffMultiplier { get; init; } = 2;

    /// <summary>The longest backoff, before jitter. Default 1 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A retry is only started if, after its backoff, at least this much of the caller's deadline is left. Default 200 ms.
    /// </summary>
    public TimeSpan MinimumTimeLeft { get; init; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>
/// The retry budget of a region, after gRPC's retry throttling: a bucket of <see cref="MaxTokens"/> tokens, full at
/// start; a call that ends in a transport failure takes one token, a call answered by the partner gives back
/// <see cref="TokenRatio"/>; retries and hedges are sent only while more than half the tokens are left.
/// </summary>
public sealed record RetryBudgetOptions
{
    /// <summary>Size of the bucket, 1 to 1000. Default 10.</summary>
    public int MaxTokens { get; init; } = 10;

    /// <summary>Tokens a call answered by the partner gives back, above 0 and at most 1. Default 0.1.</summary>
    public double TokenRatio { get; init; } = 0.1;
}

/// <summary>
/// The circuit breaker of an endpoint. It counts only transport-level failures (UNAVAILABLE, DEADLINE_EXCEEDED,
/// INTERNAL, UNKNOWN, an attempt timeout), never a partner's business answer (NOT_FOUND, INVALID_ARGUMENT…). While
/// open, calls to the endpoint fail fast with UNAVAILABLE (reason CIRCUIT_OPEN) without being sent, or go to another
/// endpoint of the region; after <see cref="BreakDuration"/> one call probes it (half-open) and closes it again.
/// </summary>
public sealed record CircuitBreakerOptions
{
    /// <summary>Whether endpoints have a breaker. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Share of failed calls within <see cref="SamplingDuration"/> that opens the breaker, above 0 and at most 1. Default 0.5.</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>Calls needed within <see cref="SamplingDuration"/> before the ratio counts, at least 2. Default 20.</summary>
    public int MinimumThroughput { get; init; } = 20;

    /// <summary>The window over which calls are counted, at least 0.5 s. Default 30 s.</summary>
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the breaker stays open before a probe, at least 0.5 s. Default 15 s.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Hedging of NO_SIDE_EFFECTS calls across the endpoints of a region: when the first endpoint has not answered within
/// <see cref="Delay"/> (or failed transiently), the same bytes go to the next endpoint and the first answer wins; the
/// other attempt is cancelled. Only in regions with two endpoints or more, and within the retry budget.
/// </summary>
public sealed record HedgingOptions
{
    /// <summary>Whether NO_SIDE_EFFECTS calls are hedged. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How long the first attempt may take before a hedged one is sent, not negative. Default 500 ms.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Hedged attempts besides the first, 1 to 10, and never more than the region's endpoints less one. Default 1.</summary>
    public int MaxHedgedAttempts { get; init; } = 1;
}

/// <summary>
/// The bulkhead of a partner region: at most <see cref="PermitLimit"/> calls to it in flight and
/// <see cref="QueueLimit"/> waiting (no longer than their deadline). A call beyond both is answered UNAVAILABLE with
/// reason REGION_SATURATED and never sent, so a black-holed region cannot take the capacity the others need.
/// </summary>
public sealed record BulkheadOptions
{
    /// <summary>Whether regions have a bulkhead. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Calls in flight to the region, at least 1. Default 100.</summary>
    public int PermitLimit { get; init; } = 100;

    /// <summary>Calls waiting for a permit, at least 0. Default 100.</summary>
    public int QueueLimit { get; init; } = 100;
}

/// <summary>
/// The rate limit of each calling participant, a token bucket: <see cref="TokenLimit"/> exchanges at once, refilled by
/// <see cref="TokensPerPeriod"/> every <see cref="ReplenishmentPeriod"/>. An exchange beyond it is answered
/// RESOURCE_EXHAUSTED (reason RATE_LIMITED) with google.rpc.RetryInfo saying when to retry, and never forwarded.
/// </summary>
public sealed record RateLimitOptions
{
    /// <summary>Whether participants are rate-limited. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Size of the bucket (the largest burst), at least 1. Default 1000.</summary>
    public int TokenLimit { get; init; } = 1000;

    /// <summary>Tokens added each period, at least 1. Default 500.</summary>
    public int TokensPerPeriod { get; init; } = 500;

    /// <summary>The refill period, at least 1 ms. Default 1 s (so 500 exchanges a second, sustained).</summary>
    public TimeSpan ReplenishmentPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Limits of single participants, each replacing the values above for it. Default none.</summary>
    public ParticipantRateLimitOptions[] Participants { get; init; } = [];
}

/// <summary>The rate limit of one participant, replacing the general one for it.</summary>
public sealed record ParticipantRateLimitOptions
{
    /// <summary>The participant's id; must be a configured participant.</summary>
    public string Participant { get; init; } = "";

    /// <summary>Whether the participant is rate-limited. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Size of its bucket, at least 1. Default 1000.</summary>
    public int TokenLimit { get; init; } = 1000;

    /// <summary>Tokens added each period, at least 1. Default 500.</summary>
    public int TokensPerPeriod { get; init; } = 500;

    /// <summary>The refill period, at least 1 ms. Default 1 s.</summary>
    public TimeSpan ReplenishmentPeriod { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Resilience settings for one route, or one endpoint of it. A section that is set replaces the whole section for
/// that route or endpoint (its unset fields take the built-in defaults, not the general section's values); a section
/// left unset is inherited. An endpoint override may only set <see cref="AttemptTimeout"/> and
/// <see cref="CircuitBreaker"/>: the other sections act on the whole region.
/// </summary>
public sealed record ResilienceOverrideOptions
{
    /// <summary>The route's region code, as in <see cref="RegionOptions.Code"/>. Required.</summary>
    public string Region { get; init; } = "";

    /// <summary>One of the route's endpoint addresses, or null for the whole route. Default null.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Replaces <see cref="ResilienceOptions.AttemptTimeout"/>. Default null (inherited).</summary>
    public TimeSpan? AttemptTimeout { get; init; }

    /// <summary>Replaces <see cref="ResilienceOptions.Retry"/> for the route. Default null (inherited).</summary>
    public RetryOptions? Retry { get; init; }

    /// <summary>Replaces <see cref="ResilienceOptions.RetryBudget"/> for the route. Default null (inherited).</summary>
    public RetryBudgetOptions? RetryBudget { get; init; }

    /// <summary>Replaces <see cref="ResilienceOptions.CircuitBreaker"/>. Default null (inherited).</summary>
    public CircuitBreakerOptions? CircuitBreaker { get; init; }

    /// <summary>Replaces <see cref="ResilienceOptions.Hedging"/> for the route. Default null (inherited).</summary>
    public HedgingOptions? Hedging { get; init; }

    /// <summary>Replaces <see cref="ResilienceOptions.Bulkhead"/> for the route. Default null (inherited).</summary>
    public BulkheadOptions? Bulkhead { get; init; }
}
