using Exchange.Domain.Identifiers;
using Exchange.Domain.Regions;
using FsCheck;
using FsCheck.Fluent;

namespace Exchange.Domain.Tests.Identifiers;

/// <summary>Parts from which a valid citizen ID can be built.</summary>
public sealed record CitizenIdParts(string AddressCode, DateOnly BirthDate, int Sequence);

/// <summary>Parts from which a valid unified social credit code can be built.</summary>
public sealed record CreditCodeParts(char RegisteringAuthority, char InstitutionType, string RegionCode, string Body);

/// <summary>FsCheck generators for identifier property tests.</summary>
public static class IdentifierArbitraries
{
    /// <summary>The date the property tests treat as today, so they never depend on the clock.</summary>
    public static readonly DateOnly Today = new(2025, 6, 1);

    private static readonly DateOnly s_firstBirthDate = new(1900, 1, 1);
    private static readonly DateOnly s_lastBirthDate = new(2020, 12, 31);

    private static readonly string[] s_countyCodes = RegionTable.Default.Regions
        .Where(r => r.Level == RegionLevel.County)
        .Select(r => r.Code)
        .ToArray();

    /// <summary>A known county, a real date in 1900–2020 and any sequence.</summary>
    public static Arbitrary<CitizenIdParts> CitizenIdParts()
    {
        var days = s_lastBirthDate.DayNumber - s_firstBirthDate.DayNumber;
        var gen =
            from county in Gen.Elements(s_countyCodes)
            from day in Gen.Choose(0, days)
            from sequence in Gen.Choose(0, 999)
            select new CitizenIdParts(county, s_firstBirthDate.AddDays(day), sequence);
        return gen.ToArbitrary();
    }

    /// <summary>Any characters of the code alphabet, any six-digit region and any eight-character body.</summary>
    public static Arbitrary<CreditCodeParts> CreditCodeParts()
    {
        var alphabetChar = Gen.Elements(UnifiedSocialCreditCode.Alphabet.ToCharArray());
        var gen =
            from authority in alphabetChar
            from type in alphabetChar
            from region in Gen.Choose(0, 999_999)
            from body in Gen.ArrayOf(alphabetChar, 8)
            select new CreditCodeParts(
                authority, type, region.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), new string(body));
        return gen.ToArbitrary();
    }
}
