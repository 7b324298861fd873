namespace Exchange.Gateway.Audit;

/// <summary>
/// Log messages of the audit trail, with stable event ids (5001–5099). They name nodes, sequences, counts, files and
/// store errors only: never a field of a record.
/// </summary>
internal static partial class AuditLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Audit chain of node {Node} resumed after record {Sequence}")]
    public static partial void Resumed(ILogger logger, string node, long sequence);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Audit store write failed for node {Node}; {Count} exchanges refused, every exchange is refused until the store is back: {Reason}")]
    public static partial void WriteFailed(ILogger logger, string node, int count, string reason, Exception exception);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Audit store for node {Node} still unavailable; trying again in {Interval}: {Reason}")]
    public static partial void RecoveryFailed(ILogger logger, string node, TimeSpan interval, string reason, Exception exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Audit store for node {Node} is back after {Downtime}; chain continues after record {Sequence}")]
    public static partial void Recovered(ILogger logger, string node, TimeSpan downtime, long sequence);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Critical, Message = "Audit chain of node {Node} is broken at record {Sequence}; exchanges are refused until an operator runs the verifier: {Reason}")]
    public static partial void ChainBroken(ILogger logger, string node, long sequence, string reason);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Debug, Message = "Audit checkpoint signed for node {Node} at record {Sequence}")]
    public static partial void CheckpointSigned(ILogger logger, string node, long sequence);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "Final audit checkpoint of node {Node} could not be written at stop; records after {Sequence} stay unsigned until the next start")]
    public static partial void FinalCheckpointFailed(ILogger logger, string node, long sequence, Exception exception);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information, Message = "Archived records {First} to {Last} of node {Node} to {File}")]
    public static partial void Archived(ILogger logger, string node, long first, long last, string file);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "Archiving node {Node} stopped: another archiver moved its mark first")]
    public static partial void ArchiveRaced(ILogger logger, string node);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "Removed unfinished audit archive {File} of node {Node} left by an interrupted run")]
    public static partial void LeftoverArchiveRemoved(ILogger logger, string node, string file);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Error, Message = "Audit writer of node {Node} failed unexpectedly")]
    public static partial void WriterFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "A subscriber to audit checkpoints of node {Node} failed")]
    public static partial void SubscriberFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "Exchange {ExchangeId} of {Method} answered UNAVAILABLE: its audit record could not be made durable: {Reason}")]
    public static partial void ExchangeRefused(ILogger logger, string method, string exchangeId, string reason);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Error, Message = "Audit retention of node {Node} failed; trying again in {Interval}")]
    public static partial void RetentionFailed(ILogger logger, string node, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 5015, Level = LogLevel.Warning, Message = "Audit query by {Participant} failed reading the store")]
    public static partial void QueryFailed(ILogger logger, string participant, Exception exception);
}
