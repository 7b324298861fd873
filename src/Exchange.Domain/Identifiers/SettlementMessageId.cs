using System.Globalization;
using Exchange.Domain.Internal;

namespace Exchange.Domain.Identifiers;

/// <summary>
/// The message id (<c>msgid</c>) of the national medical-insurance platform: a 12-character institution code,
/// the send time as yyyyMMddHHmmss and a 4-digit sequence, 30 characters in all. A settlement's msgid is persisted
/// before sending because a timed-out settlement is reversed by its original msgid, never resent under a new one.
/// <c>default(SettlementMessageId)</c> is not valid.
/// </summary>
public readonly record struct SettlementMessageId : IIdentifier<SettlementMessageId>
{
    /// <summary>Number of characters in a msgid.</summary>
    public const int Length = 30;

    private const int InstitutionCodeLength = 12;
    private const string WrongLength = "must be 30 characters";
    private const string BadInstitution = "institution code (characters 1-12) must be upper-case letters or digits";
    private const string TimestampNotDigits = "timestamp (characters 13-26) must be 14 digits";
    private const string InvalidTimestamp = "timestamp is not a valid date and time";
    private const string SequenceNotDigits = "sequence (characters 27-30) must be 4 digits";

    private SettlementMessageId(string value, DateTime timestamp, int sequence)
    {
        Value = value;
        Timestamp = timestamp;
        Sequence = sequence;
    }

    /// <summary>The full 30-character msgid.</summary>
    public string Value { get; }

    /// <summary>Characters 1–12: the sending institution's code.</summary>
    public string InstitutionCode => Value[..InstitutionCodeLength];

    /// <summary>
    /// Characters 13–26: the send time to the second. The msgid carries no zone (the platform uses Beijing time), so
    /// the kind is <see cref="DateTimeKind.Unspecified"/>.
    /// </summary>
    public DateTime Timestamp { get; }

    /// <summary>Characters 27–30: the sequence within that second, 0–9999.</summary>
    public int Sequence { get; }

    /// <summary>Parses a msgid, or explains why it is invalid.</summary>
    /// <param name="value">Candidate msgid; may be <see langword="null"/>.</param>
    /// <param name="id">The parsed msgid on success.</param>
    /// <param name="error">Why the msgid is invalid; <see langword="null"/> on success.</param>
    /// <returns><see langword="true"/> when the msgid is valid.</returns>
    public static bool TryParse(string? value, out SettlementMessageId id, out string? error)
    {
        error = Validate(value, out var timestamp, out var sequence);
        id = error is null ? new SettlementMessageId(value!, timestamp, sequence) : default;
        return error is null;
    }

    /// <summary>Whether <paramref name="value"/> is a valid msgid; allocates nothing.</summary>
    /// <param name="value">Candidate msgid; may be <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the msgid is valid.</returns>
    public static bool IsValid(string? value) => Validate(value, out _, out _) is null;

    /// <summary>Builds a msgid. Fractions of a second are dropped, since the msgid has none.</summary>
    /// <param name="institutionCode">Twelve upper-case letters or digits.</param>
    /// <param name="timestamp">Send time as wall-clock time in the platform's zone; its kind is ignored.</param>
    /// <param name="sequence">0–9999, distinguishing messages sent within the same second.</param>
    /// <returns>The msgid.</returns>
    /// <exception cref="ArgumentException">An argument breaks the rules above.</exception>
    public static SettlementMessageId Create(string institutionCode, DateTime timestamp, int sequence)
    {
        ArgumentNullException.ThrowIfNull(institutionCode);
        if (institutionCode.Length != InstitutionCodeLength
            || !CharacterSets.ConsistsOf(institutionCode, CharacterSets.UpperAlphanumeric))
        {
            throw new ArgumentException("must be 12 upper-case letters or digits", nameof(institutionCode));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, 9999);

        var wholeSeconds = new DateTime(
            timestamp.Ticks - (timestamp.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Unspecified);
        Span<char> text = stackalloc char[Length];
        institutionCode.CopyTo(text);
        wholeSeconds.TryFormat(text.Slice(12, 14), out _, "yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        sequence.TryFormat(text[26..], out _, "D4", CultureInfo.InvariantCulture);
        return new SettlementMessageId(new string(text), wholeSeconds, sequence);
    }

    /// <summary>The msgid itself; it names an institution and a time, not a person.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;

    private static string? Validate(string? value, out DateTime timestamp, out int sequence)
    {
        timestamp = default;
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
        if (!CharacterSets.ConsistsOf(text[..InstitutionCodeLength], CharacterSets.UpperAlphanumeric))
        {
            return BadInstitution;
        }

        var timestampText = text.Slice(12, 14);
        if (!CharacterSets.ConsistsOf(timestampText, CharacterSets.Digits))
        {
            return TimestampNotDigits;
        }

        if (!CompactDate.TryReadDateTime(timestampText, out timestamp))
        {
            return InvalidTimestamp;
        }

        var sequenceText = text[26..];
        if (!CharacterSets.ConsistsOf(sequenceText, CharacterSets.Digits))
        {
            return SequenceNotDigits;
        }

        sequence = AsciiDigits.Parse(sequenceText);
        return null;
    }
}
