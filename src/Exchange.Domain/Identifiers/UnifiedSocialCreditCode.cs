using System.Buffers;
using Exchange.Domain.Internal;

namespace Exchange.Domain.Identifiers;

/// <summary>
/// An 18-character unified social credit code (GB 32100-2015) identifying an organisation: registering authority,
/// institution type, 6-digit region code, 9-character organisation code (GB 11714) and a check character.
/// </summary>
/// <remarks>
/// Parsing checks the character set, the digit-only region code and the 18th check character. It does not require
/// the organisation code's own check character (see <see cref="HasValidOrganisationCodeCheck"/>): the standard does
/// not make the 18th character depend on it, and early pilot codes are known to bend GB 11714.
/// <c>default(UnifiedSocialCreditCode)</c> is not a valid code.
/// </remarks>
public readonly record struct UnifiedSocialCreditCode : IIdentifier<UnifiedSocialCreditCode>
{
    /// <summary>Number of characters in a code.</summary>
    public const int Length = 18;

    /// <summary>The 31 characters a code may use, in value order (0–30); I, O, S, V and Z are excluded.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private const string WrongLength = "must be 18 characters";
    private const string WrongCharacters = "must use only digits and upper-case letters other than I, O, S, V and Z";
    private const string RegionNotDigits = "region code (positions 3-8) must be 6 digits";
    private const string CheckMismatch = "check character does not match";

    private static readonly SearchValues<char> s_alphabet = SearchValues.Create(Alphabet);

    private UnifiedSocialCreditCode(string value) => Value = value;

    /// <summary>The full 18-character code.</summary>
    public string Value { get; }

    /// <summary>Position 1: the registering authority (e.g. '9' for market regulation).</summary>
    public char RegisteringAuthority => Value[0];

    /// <summary>Position 2: the institution type within that authority (e.g. '1' for an enterprise).</summary>
    public char InstitutionType => Value[1];

    /// <summary>Positions 3–8: the GB/T 2260 region code of the registering office.</summary>
    public string RegionCode => Value.Substring(2, 6);

    /// <summary>Positions 9–17: the GB 11714 organisation code, its own check character last.</summary>
    public string OrganisationCode => Value.Substring(8, 9);

    /// <summary>Whether position 17 is the GB 11714 check character of positions 9–16.</summary>
    public bool HasValidOrganisationCodeCheck =>
        OrganisationCheckOf(Value.AsSpan(8, 8)) == Value[16];

    // W_i = 3^(i-1) mod 31 for positions 1..17.
    private static ReadOnlySpan<byte> Weights => [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    private static ReadOnlySpan<byte> OrganisationWeights => [3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>Parses a code, or explains why it is invalid.</summary>
    /// <param name="value">Candidate code; may be <see langword="null"/>.</param>
    /// <param name="code">The parsed code on success.</param>
    /// <param name="error">Why the code is invalid; <see langword="null"/> on success.</param>
    /// <returns><see langword="true"/> when the code is valid.</returns>
    public static bool TryParse(string? value, out UnifiedSocialCreditCode code, out string? error)
    {
        error = Validate(value);
        code = error is null ? new UnifiedSocialCreditCode(value!) : default;
        return error is null;
    }

    /// <summary>Whether <paramref name="value"/> is a valid code; allocates nothing.</summary>
    /// <param name="value">Candidate code; may be <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the code is valid.</returns>
    public static bool IsValid(string? value) => Validate(value) is null;

    /// <summary>Computes the 18th (check) character from the first 17.</summary>
    /// <param name="first17">Exactly 17 characters from <see cref="Alphabet"/>.</param>
    /// <returns>A character from <see cref="Alphabet"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="first17"/> is not 17 characters from the alphabet.</exception>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1 || !CharacterSets.ConsistsOf(first17, s_alphabet))
        {
            throw new ArgumentException("must be 17 characters from the code alphabet", nameof(first17));
        }

        return CheckCharacterOf(first17);
    }

    /// <summary>
    /// Computes the GB 11714 check character of an organisation code body: C9 = 11 − (Σ vᵢ·Wᵢ mod 11) with
    /// W = 3 7 9 10 5 8 4 2, digits worth 0–9 and letters A–Z worth 10–35; 10 becomes 'X' and 11 becomes '0'.
    /// </summary>
    /// <param name="body8">The first eight characters of the organisation code, digits or upper-case letters.</param>
    /// <returns>A digit or 'X'.</returns>
    /// <exception cref="ArgumentException"><paramref name="body8"/> is not eight digits or upper-case letters.</exception>
    public static char ComputeOrganisationCodeCheckCharacter(ReadOnlySpan<char> body8)
    {
        if (body8.Length != 8 || !CharacterSets.ConsistsOf(body8, CharacterSets.UpperAlphanumeric))
        {
            throw new ArgumentException("must be 8 digits or upper-case letters", nameof(body8));
        }

        return OrganisationCheckOf(body8);
    }

    /// <summary>Builds a valid code, computing both the organisation-code check and the code's check character.</summary>
    /// <param name="registeringAuthority">Position 1, from <see cref="Alphabet"/>.</param>
    /// <param name="institutionType">Position 2, from <see cref="Alphabet"/>.</param>
    /// <param name="regionCode">Six digits (not looked up: national bodies register under codes such as 100000).</param>
    /// <param name="organisationCodeBody8">Eight characters from <see cref="Alphabet"/>.</param>
    /// <returns>The code.</returns>
    /// <exception cref="ArgumentException">An argument breaks the rules above.</exception>
    public static UnifiedSocialCreditCode Create(
        char registeringAuthority, char institutionType, string regionCode, string organisationCodeBody8)
    {
        ArgumentNullException.ThrowIfNull(regionCode);
        ArgumentNullException.ThrowIfNull(organisationCodeBody8);
        if (!s_alphabet.Contains(registeringAuthority))
        {
            throw new ArgumentException(WrongCharacters, nameof(registeringAuthority));
        }

        if (!s_alphabet.Contains(institutionType))
        {
            throw new ArgumentException(WrongCharacters, nameof(institutionType));
        }

        if (regionCode.Length != 6 || !CharacterSets.ConsistsOf(regionCode, CharacterSets.Digits))
        {
            throw new ArgumentException("must be 6 digits", nameof(regionCode));
        }

        if (organisationCodeBody8.Length != 8 || !CharacterSets.ConsistsOf(organisationCodeBody8, s_alphabet))
        {
            throw new ArgumentException("must be 8 characters from the code alphabet", nameof(organisationCodeBody8));
        }

        Span<char> text = stackalloc char[Length];
        text[0] = registeringAuthority;
        text[1] = institutionType;
        regionCode.CopyTo(text[2..]);
        organisationCodeBody8.CopyTo(text[8..]);
        text[16] = OrganisationCheckOf(text.Slice(8, 8));
        text[17] = CheckCharacterOf(text[..17]);
        return new UnifiedSocialCreditCode(new string(text));
    }

    /// <summary>The code itself; organisation codes are public registration data.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;

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

        var text = value.AsSpan();
        if (!CharacterSets.ConsistsOf(text, s_alphabet))
        {
            return WrongCharacters;
        }

        if (!CharacterSets.ConsistsOf(text.Slice(2, 6), CharacterSets.Digits))
        {
            return RegionNotDigits;
        }

        return CheckCharacterOf(text[..17]) == text[17] ? null : CheckMismatch;
    }

    private static char CheckCharacterOf(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            sum += Alphabet.IndexOf(first17[i], StringComparison.Ordinal) * Weights[i];
        }

        // C18 = 31 − (Σ mod 31), where 31 wraps to 0.
        return Alphabet[(31 - (sum % 31)) % 31];
    }

    private static char OrganisationCheckOf(ReadOnlySpan<char> body8)
    {
        var sum = 0;
        for (var i = 0; i < body8.Length; i++)
        {
            var c = body8[i];
            sum += (char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10) * OrganisationWeights[i];
        }

        return (11 - (sum % 11)) switch
        {
            10 => 'X',
            11 => '0',
            var digit => (char)('0' + digit),
        };
    }
}
