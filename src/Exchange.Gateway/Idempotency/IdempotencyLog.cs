namespace Exchange.Gateway.Idempotency;

/// <summary>
/// Log messages of exactly-once treatment, with stable event ids. They name participants, methods and status codes
/// only: never a request_id or another field of a message.
/// </summary>
internal static partial class IdempotencyLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Outcome of {Method} for {Participant} is unknown after {Status}; the next duplicate resends it under the same request_id")]
    public static partial void OutcomeUnknown(ILogger logger, string method, string participant, string status);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Idempotency store failed before {Method} for {Participant} was forwarded; nothing was forwarded")]
    public static partial void StoreFailedBeforeForward(ILogger logger, string method, string participant, Exception exception);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Idempotency store failed to record the answer of {Method} for {Participant}; the entry stays in progress until its lease expires")]
    public static partial void StoreFailedAfterForward(ILogger logger, string method, string participant, Exception exception);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "The lease on {Method} for {Participant} was taken over before its answer was recorded; the new owner resends it under the same request_id")]
    public static partial void LeaseLost(ILogger logger, string method, string participant);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "The idempotency store is slow to record the answer of {Method} for {Participant}; the caller is answered now and the write finishes in the background")]
    public static partial void StoreSlowAfterForward(ILogger logger, string method, string participant);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Purged {Count} expired idempotency entries")]
    public static partial void Purged(ILogger logger, int count);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "Purging expired idempotency entries failed; trying again in {Interval}")]
    public static partial void PurgeFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "Forwarding {Method} for {Participant} failed unexpectedly; its outcome is recorded as unknown")]
    public static partial void ForwardFailedUnexpectedly(ILogger logger, string method, string participant, Exception exception);
}
