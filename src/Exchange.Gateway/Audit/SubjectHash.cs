using Exchange.Domain.Privacy;

namespace Exchange.Gateway.Audit;

/// <summary>
/// The keyed hash (HMAC-SHA256, lower-case hex) of one data-subject identifier: what an audit record holds instead of
/// the identifier. Only <see cref="AuditSubjectHasher"/> makes one from an identifier, so a raw ID number cannot be
/// passed where a hash is expected.
/// </summary>
internal readonly record struct SubjectHash
{
    private SubjectHash(string hex) => Hex = hex;

    /// <summary>64 lower-case hex characters.</summary>
    public string Hex { get; }

    /// <summary>Takes a hash already computed (read from a store or given by an auditor).</summary>
    /// <exception cref="FormatException">Not 64 lower-case hex characters.</exception>
    public static SubjectHash Parse(string hex) =>
        KeyedHash.IsWellFormed(hex) ? new SubjectHash(hex) : throw new FormatException("a subject hash is 64 lower-case hexadecimal characters");

    /// <summary>Takes a hash already computed, if well formed.</summary>
    public static bool TryParse(string? hex, out SubjectHash hash)
    {
        hash = KeyedHash.IsWellFormed(hex) ? new SubjectHash(hex!) : default;
        return hash.Hex is not null;
    }

    /// <inheritdoc />
    public override string ToString() => Hex;
}
