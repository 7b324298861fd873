namespace Exchange.Gateway.Audit;

/// <summary>
/// One exchange in the audit trail: the <see cref="Entry"/> placed in its node's chain. Immutable. <see cref="Hash"/>
/// is SHA-256 of the canonical encoding (<see cref="AuditCanonicalEncoding"/>) of every other field, the previous
/// record's hash included; a record read from a store carries the hash the store holds, which
/// <see cref="AuditVerifier"/> recomputes.
/// </summary>
internal sealed record AuditRecord
{
    /// <summary>The gateway node whose chain holds the record.</summary>
    public required string Node { get; init; }

    /// <summary>Position in the node's chain: 1, 2, 3… without gaps.</summary>
    public required long Sequence { get; init; }

    /// <summary>The exchange (times normalised to microseconds).</summary>
    public required AuditEntry Entry { get; init; }

    /// <summary>Hash of the record before this one in the chain; zero for the first.</summary>
    public required AuditHash PreviousHash { get; init; }

    /// <summary>This record's hash.</summary>
    public required AuditHash Hash { get; init; }

    /// <summary>Version of the canonical encoding the hash was computed with.</summary>
    public int EncodingVersion { get; init; } = AuditCanonicalEncoding.CurrentVersion;

    /// <summary>The record that follows <paramref name="previous"/> (sequence and hash) in <paramref name="node"/>'s chain, hashed.</summary>
    public static AuditRecord Create(string node, AuditChainHead previous, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var unhashed = new AuditRecord
        {
            Node = node,
            Sequence = previous.Sequence + 1,
            Entry = entry.Normalized(),
            PreviousHash = previous.Hash,
            Hash = default,
        };
        return unhashed with { Hash = AuditCanonicalEncoding.ComputeHash(unhashed) };
    }
}
