using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Archive;
using Exchange.PartnerSim.Population;

namespace Exchange.PartnerSim.Tests.Privacy;

/// <summary>
/// The seeded people stand in for real ones, and the sandbox hosts them inside the gateway: a record that reaches a
/// log, an exception message or a test failure must not carry an ID number or a name. Records print every member
/// unless told otherwise.
/// </summary>
public sealed class PopulationPrivacyTests
{
    private static readonly RegionPopulation Population = PopulationSeeder.Create("310000", 2260, new DateOnly(2026, 6, 1));

    public static TheoryData<string> Kinds => ["residents", "cards", "insurance", "pensions", "credit records", "archive holdings"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ToString_OfEverySeededRecord_NamesNeitherTheIdNumberNorThePerson(string kind)
    {
        var records = Records(kind);

        Assert.NotEmpty(records);
        foreach (var (text, citizenId) in records)
        {
            var person = Population.ResidentsById[citizenId];
            Assert.DoesNotContain(citizenId, text, StringComparison.Ordinal);
            Assert.DoesNotContain(person.Name, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ToString_OfALookupQuery_NamesNeitherTheIdNumberNorTheName()
    {
        var person = Population.Residents[0];
        var text = new LookupQuery("lookup-1", ArchiveCategory.Marriage, person.CitizenId, person.Name, PurposeOfUse.SubjectRequest).ToString();

        Assert.DoesNotContain(person.CitizenId, text, StringComparison.Ordinal);
        Assert.DoesNotContain(person.Name, text, StringComparison.Ordinal);
        Assert.Contains("lookup-1", text, StringComparison.Ordinal);
    }

    private static List<(string Text, string CitizenId)> Records(string kind) => kind switch
    {
        "residents" => [.. Population.Residents.Select(r => (r.ToString(), r.CitizenId))],
        "cards" => [.. Population.Cards.Select(c => (c.ToString(), c.CitizenId))],
        "insurance" => [.. Population.Insurance.Select(i => (i.ToString(), i.CitizenId))],
        "pensions" => [.. Population.Pensions.Select(p => (p.ToString(), p.CitizenId))],
        "credit records" => [.. Population.CreditRecords.Where(c => c.SubjectCitizenId is not null).Select(c => (c.ToString(), c.SubjectCitizenId!))],
        "archive holdings" => [.. Population.ArchiveHoldings.Select(h => (h.ToString(), h.CitizenId))],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a kind of seeded record"),
    };
}
