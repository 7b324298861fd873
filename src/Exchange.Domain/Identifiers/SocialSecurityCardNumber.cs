using Exchange.Domain.Internal;

namespace Exchange.Domain.Identifiers;

/// <summary>
/// The 9-character card number printed on a social-security card (社会保障卡): upper-case letters and digits,
/// starting with a letter. It identifies the card, not the person (that is the <see cref="CitizenId"/>), and changes
/// when a card is reissued. <c>default(SocialSecurityCardNumber)</c> is not valid.
/// </summary>
public readonly record struct SocialSecurityCardNumber : IIdentifier<SocialSecurityCardNumber>
{
    /// <summary>Number of characters in a card number.</summary>
    public const int Length = 9;

    private const string WrongLength = "must be 9 characters";
    private const string WrongCharacters = "must use only upper-case letters and digits";
    private const string NoLeadingLetter = "must start with a letter";

    private SocialSecurityCardNumber(string value) => Value = value;

    /// <summary>The card number. Personal data: it leads to one person's card.</summary>
    public string Value { get; }

    /// <summary>Parses a card number, or explains why it is invalid.</summary>
    /// <param name="value">Candidate card number; may be <see langword="null"/>.</param>
    /// <param name="number">The parsed card number on success.</param>
    /// <param name="error">Why the value is invalid, without the value; <see langword="null"/> on success.</param>
    /// <returns><see langword="true"/> when the card number is valid.</returns>
    public static bool TryParse(string? value, out SocialSecurityCardNumber number, out string? error)
    {
        error = Validate(value);
        number = error is null ? new SocialSecurityCardNumber(value!) : default;
        return error is null;
    }

    /// <summary>Whether <paramref name="value"/> is a valid card number; allocates nothing.</summary>
    /// <param name="value">Candidate card number; may be <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the card number is valid.</returns>
    public static bool IsValid(string? value) => Validate(value) is null;

    /// <summary>A placeholder, so that logging the record cannot leak the card number.</summary>
    /// <returns>A fixed text that identifies the type only.</returns>
    public override string ToString() => "SocialSecurityCardNumber(redacted)";

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

        if (!CharacterSets.ConsistsOf(value, CharacterSets.UpperAlphanumeric))
        {
            return WrongCharacters;
        }

        return char.IsAsciiLetterUpper(value[0]) ? null : NoLeadingLetter;
    }
}
