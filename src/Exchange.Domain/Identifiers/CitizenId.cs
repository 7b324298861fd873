using System.Globalization;
using Exchange.Domain.Internal;
using Exchange.Domain.Regions;

namespace Exchange.Domain.Identifiers;

/// <summary>
/// An 18-character citizen ID number (GB 11643-1999), which is also the social-security number: a 6-digit address
/// code, the birth date as yyyyMMdd, a 3-digit sequence (odd for men) and a check character.
/// </summary>
/// <remarks>
/// The address code is checked against the province prefix only, because older IDs keep county codes that have
/// since been retired. <c>default(CitizenId)</c> is not a valid ID; obtain one through <see cref="TryParse(string?, out CitizenId, out string?)"/>
/// or <see cref="Create(string, DateOnly, int)"/>.
/// </remarks>
public readonly record struct CitizenId : IIdentifier<CitizenId>
{
    /// <summary>Number of characters in an ID.</summary>
    public const int Length = 18;

    /// <summary>Earliest accepted birth year; the standard's examples include people born in the 1880s.</summary>
    public const int MinimumBirthYear = 1800;

    private const string CheckCharacters = "10X98765432";
    private const string WrongLength = "must be 18 characters";
    private const string BodyNotDigits = "first 17 characters must be digits";
    private const string BadCheckCharacter = "check character must be a digit or upper-case X";
    private const string CheckMismatch = "check character does not match";
    private const string UnknownProvince = "address code names no known province";
    private const string InvalidDate = "birth date is not a valid date";
    private const string TooEarly = "birth date is before 1800";
    private const string FutureDate = "birth date is in the future";

    private CitizenId(string value, DateOnly birthDate, int sequence)
    {
        Value = value;
        BirthDate = birthDate;
        Sequence = sequence;
    }

    /// <summary>The full 18-character ID. Personal data: keep it out of logs, traces and audit records.</summary>
    public string Value { get; }

    /// <summary>The 6-digit address code (GB/T 2260 county at the time of issue; may since have been retired).</summary>
    public string AddressCode => Value[..6];

    /// <summary>The birth date encoded in positions 7–14.</summary>
    public DateOnly BirthDate { get; }

    /// <summary>The 3-digit sequence number in positions 15–17.</summary>
    public int Sequence { get; }

    /// <summary>Whether the sequence number is odd, which the standard assigns to men.</summary>
    public bool IsMale => Sequence % 2 == 1;

    // W_i = 2^(18-i) mod 11 for positions 1..17.
    private static ReadOnlySpan<byte> Weights => [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>Parses an ID, judging "in the future" against today's UTC date.</summary>
    /// <param name="value">Candidate ID; may be <see langword="null"/>.</param>
    /// <param name="id">The parsed ID on success.</param>
    /// <param name="error">Why the ID is invalid, without the ID itself; <see langword="null"/> on success.</param>
    /// <returns><see langword="true"/> when the ID is valid.</returns>
    public static bool TryParse(string? value, out CitizenId id, out string? error) =>
        TryParse(value, UtcToday(), out id, out error);

    /// <summary>Parses an ID, judging "in the future" against <paramref name="today"/>.</summary>
    /// <param name="value">Candidate ID; may be <see langword="null"/>.</param>
    /// <param name="today">The current date from the caller's clock (e.g. a <see cref="TimeProvider"/>).</param>
    /// <param name="id">The parsed ID on success.</param>
    /// <param name="error">Why the ID is invalid, without the ID itself; <see langword="null"/> on success.</param>
    /// <returns><see langword="true"/> when the ID is valid.</returns>
    public static bool TryParse(string? value, DateOnly today, out CitizenId id, out string? error)
    {
        error = Validate(value, today, out var birthDate, out var sequence);
        id = error is null ? new CitizenId(value!, birthDate, sequence) : default;
        return error is null;
    }

    /// <summary>Whether <paramref name="value"/> is a valid ID as of today's UTC date; allocates nothing.</summary>
    /// <param name="value">Candidate ID; may be <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the ID is valid.</returns>
    public static bool IsValid(string? value) => IsValid(value, UtcToday());

    /// <summary>Whether <paramref name="value"/> is a valid ID as of <paramref name="today"/>; allocates nothing.</summary>
    /// <param name="value">Candidate ID; may be <see langword="null"/>.</param>
    /// <param name="today">The current date from the caller's clock.</param>
    /// <returns><see langword="true"/> when the ID is valid.</returns>
    public static bool IsValid(string? value, DateOnly today) => Validate(value, today, out _, out _) is null;

    /// <summary>Computes the check character for the first 17 digits of an ID.</summary>
    /// <param name="first17">Exactly 17 ASCII digits.</param>
    /// <returns>A digit or upper-case 'X'.</returns>
    /// <exception cref="ArgumentException"><paramref name="first17"/> is not 17 digits.</exception>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1 || !CharacterSets.ConsistsOf(first17, CharacterSets.Digits))
        {
            throw new ArgumentException("must be 17 digits", nameof(first17));
        }

        return CheckCharacterOf(first17);
    }

    /// <summary>Builds a valid ID, with birth dates judged against today's UTC date.</summary>
    /// <param name="addressCode">Six digits whose first two name a known province.</param>
    /// <param name="birthDate">Birth date from <see cref="MinimumBirthYear"/> up to today.</param>
    /// <param name="sequence">0–999; odd for men.</param>
    /// <returns>The ID, with its check character computed.</returns>
    /// <exception cref="ArgumentException">An argument breaks the rules above.</exception>
    public static CitizenId Create(string addressCode, DateOnly birthDate, int sequence) =>
        Create(addressCode, birthDate, sequence, UtcToday());

    /// <summary>Builds a valid ID, with birth dates judged against <paramref name="today"/>.</summary>
    /// <param name="addressCode">Six digits whose first two name a known province.</param>
    /// <param name="birthDate">Birth date from <see cref="MinimumBirthYear"/> up to <paramref name="today"/>.</param>
    /// <param name="sequence">0–999; odd for men.</param>
    /// <param name="today">The current date from the caller's clock.</param>
    /// <returns>The ID, with its check character computed.</returns>
    /// <exception cref="ArgumentException">An argument breaks the rules above.</exception>
    public static CitizenId Create(string addressCode, DateOnly birthDate, int sequence, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(addressCode);
        if (addressCode.Length != 6 || !CharacterSets.ConsistsOf(addressCode, CharacterSets.Digits))
        {
            throw new ArgumentException("must be 6 digits", nameof(addressCode));
        }

        if (!RegionTable.Default.IsProvincePrefix(addressCode.AsSpan(0, 2)))
        {
            throw new ArgumentException(UnknownProvince, nameof(addressCode));
        }

        if (birthDate.Year < MinimumBirthYear || birthDate > today)
        {
            throw new ArgumentOutOfRangeException(nameof(birthDate), "must be from 1800 up to today");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, 999);

        Span<char> text = stackalloc char[Length];
        addressCode.CopyTo(text);
        birthDate.TryFormat(text.Slice(6, 8), out _, "yyyyMMdd", CultureInfo.InvariantCulture);
        sequence.TryFormat(text.Slice(14, 3), out _, "D3", CultureInfo.InvariantCulture);
        text[17] = CheckCharacterOf(text[..17]);
        return new CitizenId(new string(text), birthDate, sequence);
    }

    /// <summary>
    /// Returns a placeholder, not the number: records print their members, and an ID number in a log line would
    /// breach the rule that identity numbers never appear in clear. Use <see cref="Value"/> deliberately.
    /// </summary>
    /// <returns>A fixed text that identifies the type only.</returns>
    public override string ToString() => "CitizenId(redacted)";

    private static string? Validate(string? value, DateOnly today, out DateOnly birthDate, out int sequence)
    {
        birthDate = default;
        sequence = 0;
        if (string.IsNullOrEmpty(value))
        {
            return CommonErrors.Required;
        }

        if (value.Length != Length)
        {
            return WrongLength;
        }

        var text = value.AsSpan();
        if (!CharacterSets.ConsistsOf(text[..17], CharacterSets.Digits))
        {
            return BodyNotDigits;
        }

        var check = text[17];
        if (!char.IsAsciiDigit(check) && check != 'X')
        {
            return BadCheckCharacter;
        }

        if (CheckCharacterOf(text[..17]) != check)
        {
            return CheckMismatch;
        }

        if (!RegionTable.Default.IsProvincePrefix(text[..2]))
        {
            return UnknownProvince;
        }

        if (!CompactDate.TryReadDate(text.Slice(6, 8), out birthDate))
        {
            return InvalidDate;
        }

        if (birthDate.Year < MinimumBirthYear)
        {
            return TooEarly;
        }

        if (birthDate > today)
        {
            return FutureDate;
        }

        sequence = AsciiDigits.Parse(text.Slice(14, 3));
        return null;
    }

    private static char CheckCharacterOf(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    private static DateOnly UtcToday() => DateOnly.FromDateTime(DateTime.UtcNow);
}
