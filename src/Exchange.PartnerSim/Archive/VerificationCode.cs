using System.Security.Cryptography;

namespace Exchange.PartnerSim.Archive;

/// <summary>
/// The short code printed on a certificate: the first 10 bytes (80 bits) of the document's SHA-256 in RFC 4648
/// base32, exactly 16 characters from A-Z and 2-7 with no padding.
/// </summary>
internal static class VerificationCode
{
    /// <summary>Length of a code.</summary>
    public const int Length = 16;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>The code of <paramref name="document"/>.</summary>
    public static string Of(ReadOnlySpan<byte> document)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(document, hash);
        return Base32(hash[..10]);
    }

    /// <summary>A code as a person may type it: surrounding spaces dropped, upper case.</summary>
    public static string Normalize(string code) => code.Trim().ToUpperInvariant();

    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        // 10 bytes are exactly 16 groups of 5 bits: no padding.
        Span<char> text = stackalloc char[Length];
        var bits = 0;
        var bitCount = 0;
        var n = 0;
        foreach (var b in bytes)
        {
            bits = ((bits << 8) | b) & 0xFFF; // at most 4 pending bits plus the new byte
            bitCount += 8;
            while (bitCount >= 5)
            {
                bitCount -= 5;
                text[n++] = Alphabet[(bits >> bitCount) & 31];
            }
        }

        return new string(text[..n]);
    }
}
