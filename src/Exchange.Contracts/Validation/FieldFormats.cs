using System.Globalization;
using Exchange.Contracts.V1;
using Exchange.Domain.Identifiers;
using Exchange.Domain.Money;
using Exchange.Domain.Privacy;
using Exchange.Domain.Regions;

namespace Exchange.Contracts.Validation;

/// <summary>
/// Checks a value against an annotated <see cref="FieldFormat"/>. Messages describe the rule broken and never
/// repeat the value, which may be personal data.
/// </summary>
public static class FieldFormats
{
    /// <summary>Null when <paramref name="value"/> follows <paramref name="format"/>; otherwise why not.</summary>
    public static string? Check(FieldFormat format, string value) => format switch
    {
        FieldFormat.CitizenId => Describe("a citizen ID number", CitizenId.TryParse(value, out _, out var e), e),
        FieldFormat.CreditCode => Describe("a unified social credit code", UnifiedSocialCreditCode.TryParse(value, out _, out var e), e),
        FieldFormat.RegionCode => Describe("a GB/T 2260 region code", RegionCode.TryParse(value, out var e), e),
        FieldFormat.CardNumber => Describe("a social-security card number", SocialSecurityCardNumber.TryParse(value, out _, out var e), e),
        FieldFormat.CardIdentificationCode => Describe("a card identification code", CardIdentificationCode.TryParse(value, out _, out var e), e),
        FieldFormat.RequestId => Describe("a request id", RequestId.TryParse(value, out _, out var e), e),
        FieldFormat.MedicalMessageId => Describe("a medical message id", SettlementMessageId.TryParse(value, out _, out var e), e),
        FieldFormat.KeyedHash => KeyedHash.IsWellFormed(value) ? null : "is not a keyed hash: must be 64 lower-case hexadecimal characters",
        FieldFormat.Date => IsIsoDate(value) ? null : "is not a date: must be YYYY-MM-DD",
        _ => null,
    };

    /// <summary>Null when <paramref name="fen"/> is a valid amount for <paramref name="format"/>; otherwise why not.</summary>
    public static string? Check(FieldFormat format, long fen) =>
        format == FieldFormat.MoneyFen && !Fen.IsValidAmount(fen)
            ? "is not a valid amount: must be 0 to 9,999,999,999,999,999 fen"
            : null;

    /// <summary>True for an ISO 8601 calendar date "YYYY-MM-DD".</summary>
    public static bool IsIsoDate(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static string? Describe(string what, bool valid, string? error) =>
        valid ? null : $"is not {what}: {error}";
}
