using System.Security.Cryptography;

namespace Exchange.Gateway.Audit;

/// <summary>
/// A SHA-256 value: a record's hash, the previous record's hash, a checkpoint's record hash, a message digest.
/// Immutable (the bytes are copied in and never handed out writable); <c>default</c> is the all-zero hash that
/// precedes the first record of every chain.
/// </summary>
internal readonly struct AuditHash : IEquatable<AuditHash>
{
    /// <summary>Length in bytes.</summary>
    public const int Length = SHA256.HashSizeInBytes;

    /// <summary>Length of the hex text.</summary>
    public const int HexLength = Length * 2;

    private static readonly byte[] ZeroBytes = new byte[Length];

    private readonly byte[]? _bytes;

    private AuditHash(byte[] bytes) => _bytes = bytes;

    /// <summary>The all-zero hash: the previous hash of a chain's first record.</summary>
    public static AuditHash Zero => default;

    /// <summary>The 32 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? ZeroBytes;

    /// <summary>Whether this is the all-zero hash.</summary>
    public bool IsZero => Bytes.SequenceEqual(ZeroBytes);

    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    public static AuditHash Compute(ReadOnlySpan<byte> data) => new(SHA256.HashData(data));

    /// <summary>A hash with a copy of <paramref name="bytes"/>.</summary>
    /// <exception cref="ArgumentException">Not 32 bytes.</exception>
    public static AuditHash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"a SHA-256 value has {Length} bytes, not {bytes.Length}", nameof(bytes));
        }

        return new AuditHash(bytes.ToArray());
    }

    /// <summary>Takes ownership of <paramref name="bytes"/> (no copy): for arrays nobody else holds.</summary>
    internal static AuditHash Own(byte[] bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"a SHA-256 value has {Length} bytes, not {bytes.Length}", nameof(bytes));
        }

        return new AuditHash(bytes);
    }

    /// <summary>Parses 64 hex characters (either case).</summary>
    public static bool TryParse(string? hex, out AuditHash hash)
    {
        hash = default;
        if (hex is not { Length: HexLength })
        {
            return false;
        }

        var bytes = new byte[Length];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Length)
        {
            return false;
        }

        hash = new AuditHash(bytes);
        return true;
    }

    /// <summary>Parses 64 hex characters (either case).</summary>
    /// <exception cref="FormatException">Not a SHA-256 value in hex.</exception>
    public static AuditHash Parse(string hex) =>
        TryParse(hex, out var hash) ? hash : throw new FormatException("not 64 hexadecimal characters");

    /// <summary>Lower-case hex.</summary>
    public string ToHex() => Convert.ToHexStringLower(Bytes);

    /// <summary>A copy of the bytes.</summary>
    public byte[] ToArray() => Bytes.ToArray();

    /// <inheritdoc />
    public bool Equals(AuditHash other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AuditHash other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(Bytes[..4]);

    /// <inheritdoc />
    public override string ToString() => ToHex();

    /// <summary>Equality of the bytes.</summary>
    public static bool operator ==(AuditHash left, AuditHash right) => left.Equals(right);

    /// <summary>Inequality of the bytes.</summary>
    public static bool operator !=(AuditHash left, AuditHash right) => !left.Equals(right);
}
