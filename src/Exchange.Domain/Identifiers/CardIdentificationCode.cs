using Exchange.Domain.Internal;

namespace Exchange.Domain.Identifiers;

/// <summary>
/// The card identification code (卡识别码) of a social-security card: 16 bytes written as 32 hexadecimal characters.
/// Either case is accepted; <see cref="Value"/> is upper case so that the same card compares equal however a reader
/// printed it. <c>default(CardIdentificationCode)</c> is not valid.
/// </summary>
public readonly record struct CardIdentificationCode : IIdentifier<CardIdentificationCode>
{
    /// <summary>Number of hexadecimal characters in a code.</summary>
    public const int Length = 32;

    private const string WrongLength = "must be 32 characters";
    private const string NotHex = "must use only hexadecimal digits";

    private CardIdentificationCode(string value) => Value = value;

    /// <summary>The code in upper-case hexadecimal. Personal data: it leads to one person's card.</summary>
    public string Value { get; }

    /// <summary>Parses a code, or explains why it is invalid.</summary>
    /// <param name="value">Candidate code; may be <see langword="null"/>.</param>
    /// <param name="code">The parsed code on success.</param>
    /// <param name="error">Why the value is invalid, without the value; <see langword="null"/> on success.</param>
    /// <returns><see langword="true"/> when the code is valid.</returns>
    public static bool TryParse(string? value, out CardIdentificationCode code, out string? error)
    {
        error = Validate(value);
        code = error is null ? new CardIdentificationCode(value!.ToUpperInvariant()) : default;
        return error is null;
    }

    /// <summary>Whether <paramref name="value"/> is a valid code; allocates nothing.</summary>
    /// <param name="value">Candidate code; may be <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the code is valid.</returns>
    public static bool IsValid(string? value) => Validate(value) is null;

    /// <summary>A placeholder, so that logging the record cannot leak the code.</summary>
    /// <returns>A fixed text that identifies the type only.</returns>
    public override string ToString() => "CardIdentificationCode(redacted)";

    private static string? Validate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return CommonErrors.Required;
        }

        if (value.Length != Length)
        {
            return WrongLength;
        }

        return CharacterSets.ConsistsOf(value, CharacterSets.Hex) ? null : NotHex;
    }
}
