using System.Buffers;
using Exchange.Domain.Internal;

namespace Exchange.Domain.Identifiers;

/// <summary>
/// A client-chosen idempotency key for a side-effecting exchange: 8–64 characters of letters, digits and
/// <c>. _ : -</c>. A retry with the same key gets the stored result instead of acting twice. The length floor keeps
/// keys from colliding by accident; the character set keeps them safe in headers, logs and storage keys.
/// </summary>
public readonly record struct RequestId : IIdentifier<RequestId>
{
    /// <summary>Fewest characters a key may have.</summary>
    public const int MinimumLength = 8;

    /// <summary>Most characters a key may have.</summary>
    public const int MaximumLength = 64;

    private const string WrongLength = "must be 8 to 64 characters";
    private const string WrongCharacters = "must use only letters, digits, '.', '_', ':' and '-'";

    private static readonly SearchValues<char> s_allowed =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._:-");

    private RequestId(string value) => Value = value;

    /// <summary>The key as the client sent it (case-sensitive).</summary>
    public string Value { get; }

    /// <summary>Parses a key, or explains why it is invalid.</summary>
    /// <param name="value">Candidate key; may be <see langword="null"/>.</param>
    /// <param name="id">The parsed key on success.</param>
    /// <param name="error">Why the key is invalid, without the key; <see langword="null"/> on success.</param>
    /// <returns><see langword="true"/> when the key is valid.</returns>
    public static bool TryParse(string? value, out RequestId id, out string? error)
    {
        error = Validate(value);
        id = error is null ? new RequestId(value!) : default;
        return error is null;
    }

    /// <summary>Whether <paramref name="value"/> is a valid key; allocates nothing.</summary>
    /// <param name="value">Candidate key; may be <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the key is valid.</returns>
    public static bool IsValid(string? value) => Validate(value) is null;

    /// <summary>The key itself; it is chosen by the client and carries no personal data.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;

    private static string? Validate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return CommonErrors.Required;
        }

        if (value.Length is < MinimumLength or > MaximumLength)
        {
            return WrongLength;
        }

        return CharacterSets.ConsistsOf(value, s_allowed) ? null : WrongCharacters;
    }
}
