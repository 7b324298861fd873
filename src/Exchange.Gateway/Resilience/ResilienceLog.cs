namespace Exchange.Gateway.Resilience;

/// <summary>
/// Log messages of the gateway's resilience, with stable event ids (21xx, beside the region-call messages of 20xx).
/// They name regions, endpoint addresses, methods and participants only: never a field of a message.
/// </summary>
internal static partial class ResilienceLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Circuit of region {Region} endpoint {Endpoint} opened for {BreakDuration}: calls to it fail fast and go to other endpoints")]
    public static partial void CircuitOpened(ILogger logger, string region, Uri endpoint, TimeSpan breakDuration);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Circuit of region {Region} endpoint {Endpoint} half-open: one call probes it")]
    public static partial void CircuitHalfOpened(ILogger logger, string region, Uri endpoint);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Circuit of region {Region} endpoint {Endpoint} closed")]
    public static partial void CircuitClosed(ILogger logger, string region, Uri endpoint);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Retrying {Method} to region {Region} (attempt {Attempt}) after {Reason}, in {Delay}")]
    public static partial void Retrying(ILogger logger, string method, string region, int attempt, OutboundFailureKind reason, TimeSpan delay);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "Hedging {Method} to region {Region} (hedged attempt {Attempt})")]
    public static partial void Hedging(ILogger logger, string method, string region, int attempt);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Debug, Message = "Region {Region} is saturated: {Method} refused by its bulkhead")]
    public static partial void RegionSaturated(ILogger logger, string region, string method);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Debug, Message = "Participant {Participant} exceeded its rate limit; retry after {RetryAfter}")]
    public static partial void RateLimited(ILogger logger, string participant, TimeSpan retryAfter);
}
