namespace Exchange.PartnerSim.Population;

/// <summary>
/// Everything a simulated region holds when it starts, generated from a seed: the same region and seed always give
/// the same people, cards, plans, organisations, records and holdings, so tests, demos and CLI users can name them.
/// </summary>
public sealed class RegionPopulation
{
    internal RegionPopulation(
        string regionCode,
        IReadOnlyList<Resident> residents,
        IReadOnlyList<SeededCard> cards,
        IReadOnlyList<SeededInsurance> insurance,
        IReadOnlyList<SeededPension> pensions,
        IReadOnlyList<Organisation> organisations,
        IReadOnlyList<SeededCreditRecord> creditRecords,
        IReadOnlyList<ArchiveHolding> archiveHoldings)
    {
        RegionCode = regionCode;
        Residents = residents;
        Cards = cards;
        Insurance = insurance;
        Pensions = pensions;
        Organisations = organisations;
        CreditRecords = creditRecords;
        ArchiveHoldings = archiveHoldings;
        ResidentsById = residents.ToDictionary(r => r.CitizenId, StringComparer.Ordinal);
    }

    /// <summary>GB/T 2260 code of the region.</summary>
    public string RegionCode { get; }

    /// <summary>The people born and living in the region.</summary>
    public IReadOnlyList<Resident> Residents { get; }

    /// <summary>Residents by citizen ID.</summary>
    public IReadOnlyDictionary<string, Resident> ResidentsById { get; }

    /// <summary>One card per resident; every card status occurs.</summary>
    public IReadOnlyList<SeededCard> Cards { get; }

    /// <summary>One medical insurance per resident: employees and residents, some suspended.</summary>
    public IReadOnlyList<SeededInsurance> Insurance { get; }

    /// <summary>Pensions of residents aged 60 and over, in every benefit status.</summary>
    public IReadOnlyList<SeededPension> Pensions { get; }

    /// <summary>Organisations registered in the region.</summary>
    public IReadOnlyList<Organisation> Organisations { get; }

    /// <summary>Credit records published before start, some already past their publication period.</summary>
    public IReadOnlyList<SeededCreditRecord> CreditRecords { get; }

    /// <summary>Records in the region's archive.</summary>
    public IReadOnlyList<ArchiveHolding> ArchiveHoldings { get; }
}
