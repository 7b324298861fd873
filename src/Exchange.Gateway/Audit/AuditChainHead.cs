namespace Exchange.Gateway.Audit;

/// <summary>The end of a chain: the last record's sequence and hash; (0, zero) before the first record.</summary>
/// <param name="Sequence">Sequence of the last record, 0 when there is none.</param>
/// <param name="Hash">Hash of the last record, zero when there is none.</param>
internal readonly record struct AuditChainHead(long Sequence, AuditHash Hash)
{
    /// <summary>The head of an empty chain.</summary>
    public static AuditChainHead Genesis => new(0, AuditHash.Zero);

    /// <summary>The head after <paramref name="record"/>.</summary>
    public static AuditChainHead After(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new AuditChainHead(record.Sequence, record.Hash);
    }
}
