using System.Collections.Immutable;

namespace Exchange.Gateway.Audit;

/// <summary>
/// A signed statement by a gateway node: "record <see cref="Sequence"/> of my chain has hash
/// <see cref="RecordHash"/>", made at <see cref="CreatedAt"/>. Stored with the chain (and carried into archives).
/// It makes the chain's past unchangeable without the key, and makes a cut-off tail visible: a checkpoint pointing
/// past the last record proves records were removed.
/// </summary>
internal sealed record AuditCheckpoint
{
    /// <summary>The node whose chain is signed.</summary>
    public required string Node { get; init; }

    /// <summary>Sequence of the record signed.</summary>
    public required long Sequence { get; init; }

    /// <summary>Hash of that record.</summary>
    public required AuditHash RecordHash { get; init; }

    /// <summary>When the checkpoint was made (UTC, microseconds).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Id of the signing key: lower-case hex SHA-256 of its SubjectPublicKeyInfo (DER).</summary>
    public required string KeyId { get; init; }

    /// <summary>ECDSA P-256 / SHA-256 signature (DER, RFC 3279) over <see cref="SignedBytes"/>.</summary>
    public required ImmutableArray<byte> Signature { get; init; }

    /// <summary>The canonical bytes the signature covers (node, sequence, record hash, time).</summary>
    public byte[] SignedBytes() => AuditCanonicalEncoding.EncodeCheckpoint(Node, Sequence, RecordHash, CreatedAt);
}
