using System.Globalization;
using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.PartnerSim.Population;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>
/// Picks people, cards, organisations and holdings out of a simulated region's seeded population, so a test can say
/// what the region must answer. Choices keep a day's distance from every date boundary, so a test run across
/// midnight (UTC+8) picks nothing whose state could change under it.
/// </summary>
internal static class Seeded
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    /// <summary>Today in the simulators' business time zone (UTC+8).</summary>
    public static DateOnly Today => DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().ToOffset(ChinaStandardTime).DateTime);

    /// <summary>An ISO date as the contracts carry it.</summary>
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The <paramref name="skip"/>-th ACTIVE employee with at least <paramref name="minimumBalance"/> fen in the personal account.</summary>
    public static SeededInsurance ActiveEmployee(RegionPopulation population, long minimumBalance, int skip = 0) =>
        population.Insurance
            .Where(i => i.Type == InsuranceType.Employee && i.Status == InsuranceStatus.Active && i.AccountBalanceFen >= minimumBalance)
            .Skip(skip)
            .First();

    /// <summary>The <paramref name="skip"/>-th card that is NORMAL and far from its expiry date.</summary>
    public static SeededCard ValidCard(RegionPopulation population, int skip = 0) =>
        population.Cards.Where(c => c.Status == CardStatus.Normal && c.ExpiryDate > Today.AddDays(1)).Skip(skip).First();

    /// <summary>A resident and the school record the region's archive holds about them.</summary>
    public static (Resident Resident, ArchiveHolding Holding) SchoolRecord(RegionPopulation population, int skip = 0)
    {
        var holding = population.ArchiveHoldings.Where(h => h.Category == ArchiveCategory.School).Skip(skip).First();
        return (population.ResidentsById[holding.CitizenId], holding);
    }

    /// <summary>Organisations whose every seeded record is well inside its publication period, with those records.</summary>
    public static IReadOnlyList<(Organisation Organisation, IReadOnlyList<SeededCreditRecord> Records)> OrganisationsWithPublishedRecords(RegionPopulation population)
    {
        var today = Today;
        return population.Organisations
            .Select(o => (Organisation: o, Records: (IReadOnlyList<SeededCreditRecord>)[.. population.CreditRecords.Where(r => r.SubjectCreditCode == o.CreditCode)]))
            .Where(o => o.Records.Count > 0 && o.Records.All(r => r.PublicationStart < today.AddDays(-1) && r.PublicationEnd > today.AddDays(1)))
            .ToArray();
    }
}
