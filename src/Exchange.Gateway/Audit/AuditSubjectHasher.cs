using System.Security.Cryptography;
using Exchange.Domain.Privacy;

namespace Exchange.Gateway.Audit;

/// <summary>
/// Hashes data-subject identifiers (citizen IDs, credit codes) with the configured key before they reach the audit
/// trail; an auditor's query by person goes through the same hasher. Thread-safe.
/// </summary>
internal sealed class AuditSubjectHasher : IDisposable
{
    private readonly byte[] _key;

    /// <summary>A hasher with a copy of <paramref name="key"/> (at least 32 bytes).</summary>
    /// <exception cref="ArgumentException">The key is too short.</exception>
    public AuditSubjectHasher(ReadOnlySpan<byte> key)
    {
        if (key.Length < KeyedHash.MinimumKeyLength)
        {
            throw new ArgumentException($"must be at least {KeyedHash.MinimumKeyLength} bytes", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>A hasher with the key of <paramref name="options"/>.</summary>
    public static AuditSubjectHasher FromOptions(AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = options.SubjectHashKeyBytes();
        try
        {
            return new AuditSubjectHasher(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The keyed hash of <paramref name="identifier"/> in its canonical form (e.g. <c>CitizenId.Value</c>).</summary>
    public SubjectHash Hash(string identifier) => SubjectHash.Parse(KeyedHash.ComputeHex(_key, identifier));

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
