using System.Security.Cryptography;
using System.Text;
using Exchange.Domain.Internal;

namespace Exchange.Domain.Privacy;

/// <summary>
/// A keyed hash (HMAC-SHA256) of an identifier such as a citizen ID. Regions holding the same key can compare
/// people, and auditors can search audit records by person, without the ID number ever being stored or sent in
/// clear. A plain hash would not do: ID numbers are few enough to enumerate, so the key is the only secret.
/// </summary>
public static class KeyedHash
{
    /// <summary>Length of the hex text: 32 bytes, two characters each.</summary>
    public const int HexLength = 64;

    /// <summary>
    /// Shortest key accepted, in bytes. RFC 2104 discourages HMAC keys shorter than the hash output (32 bytes), and
    /// a short key would be the weak point of the whole scheme.
    /// </summary>
    public const int MinimumKeyLength = 32;

    // Identifiers are short; longer ones go to the heap rather than risk a deep stack.
    private const int StackLimit = 256;

    /// <summary>Lower-case hex HMAC-SHA256 of the UTF-8 bytes of <paramref name="identifier"/>.</summary>
    /// <param name="key">The secret key, at least <see cref="MinimumKeyLength"/> bytes.</param>
    /// <param name="identifier">The identifier in its canonical form (e.g. <c>CitizenId.Value</c>).</param>
    /// <returns>64 lower-case hex characters.</returns>
    /// <exception cref="ArgumentException">The key is too short or the identifier is empty.</exception>
    public static string ComputeHex(ReadOnlySpan<byte> key, string identifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        if (key.Length < MinimumKeyLength)
        {
            throw new ArgumentException("must be at least 32 bytes", nameof(key));
        }

        var maxBytes = Encoding.UTF8.GetMaxByteCount(identifier.Length);
        Span<byte> buffer = maxBytes <= StackLimit ? stackalloc byte[StackLimit] : new byte[maxBytes];
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        try
        {
            var length = Encoding.UTF8.GetBytes(identifier, buffer);
            HMACSHA256.HashData(key, buffer[..length], mac);
            return Convert.ToHexStringLower(mac);
        }
        finally
        {
            // The buffer holds the identifier in clear; do not leave it behind in memory.
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>Whether <paramref name="value"/> looks like a result of <see cref="ComputeHex"/>: 64 lower-case hex characters.</summary>
    /// <param name="value">Candidate text; may be <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when well formed.</returns>
    public static bool IsWellFormed(string? value) =>
        value is { Length: HexLength } && CharacterSets.ConsistsOf(value, CharacterSets.LowerHex);
}
