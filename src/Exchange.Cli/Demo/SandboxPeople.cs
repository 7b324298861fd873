using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.PartnerSim.Population;

namespace Exchange.Cli.Demo;

/// <summary>
/// Picks the seeded people and organisations the demo's exchanges are about. The picks are deterministic for a seed
/// and date, and their identifiers go only into requests, never into output.
/// </summary>
internal static class SandboxPeople
{
    /// <summary>
    /// An insured person whose insurance pays, preferably an employee who has paid this year's deductible and has money
    /// in the personal account, so the settlement shows every part of the split.
    /// </summary>
    public static SeededInsurance InsuredPatient(RegionPopulation population) =>
        population.Insurance.FirstOrDefault(i => i is { Status: InsuranceStatus.Active, Type: InsuranceType.Employee, DeductibleRemainingFen: 0, AccountBalanceFen: > 10_000 })
        ?? population.Insurance.FirstOrDefault(i => i is { Status: InsuranceStatus.Active, Type: InsuranceType.Employee, AccountBalanceFen: > 10_000 })
        ?? population.Insurance.FirstOrDefault(i => i.Status == InsuranceStatus.Active)
        ?? throw new DemoFailure($"the seeded population of {population.RegionCode} has no active insured person");

    /// <summary>A holder of a normal, permanent, unexpired card.</summary>
    public static SeededCard CardHolder(RegionPopulation population, DateOnly today) =>
        population.Cards.FirstOrDefault(c => c.Status == CardStatus.Normal && !c.Temporary && c.ExpiryDate >= today)
        ?? throw new DemoFailure($"the seeded population of {population.RegionCode} has no valid card");

    /// <summary>A resident the archive holds a school record about, with the name on file (the archive checks it).</summary>
    public static (Resident Resident, ArchiveHolding Holding) ArchiveSubject(RegionPopulation population)
    {
        var holding = population.ArchiveHoldings.FirstOrDefault(h => h.Category == ArchiveCategory.School)
            ?? throw new DemoFailure($"the archive of {population.RegionCode} holds no school record");
        return (population.ResidentsById[holding.CitizenId], holding);
    }

    /// <summary>An organisation with at least one credit record in its home region.</summary>
    public static Organisation OrganisationWithRecords(RegionPopulation population) =>
        population.Organisations.FirstOrDefault(o => population.CreditRecords.Any(r => r.SubjectCreditCode == o.CreditCode))
        ?? throw new DemoFailure($"no organisation of {population.RegionCode} has credit records");
}
