using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Population;

namespace Exchange.PartnerSim.Archive;

/// <summary>
/// What the archivist decides at the end of a search. Marriage and family-planning records are opened only at the
/// person's own request; otherwise a record is found when the archive holds one of that category about the citizen
/// and the name given is the name on file (ordinal comparison, as the archivist reads it).
/// </summary>
internal sealed class ArchiveSearch(RegionPopulation population)
{
    private readonly Dictionary<(string CitizenId, ArchiveCategory Category), ArchiveHolding> _holdings = population.ArchiveHoldings
        .GroupBy(h => (h.CitizenId, h.Category))
        .ToDictionary(g => g.Key, g => g.First());

    /// <summary>The outcome of searching for <paramref name="query"/>.</summary>
    public SearchResult Search(LookupQuery query)
    {
        if (query.Category is ArchiveCategory.Marriage or ArchiveCategory.FamilyPlanning
            && query.Purpose != PurposeOfUse.SubjectRequest)
        {
            return SearchResult.Rejected(
                $"{ContractNames.Of(query.Category)} records are opened only at the subject's own request " +
                $"({ContractNames.Of(PurposeOfUse.SubjectRequest)}); the stated purpose was {ContractNames.Of(query.Purpose)}");
        }

        // A wrong name and no record give the same answer: the archive does not tell a requester that it holds a
        // record about someone whose name they do not know.
        if (_holdings.TryGetValue((query.CitizenId, query.Category), out var holding)
            && population.ResidentsById.TryGetValue(query.CitizenId, out var resident)
            && string.Equals(resident.Name, query.SubjectName, StringComparison.Ordinal))
        {
            return SearchResult.Found(holding);
        }

        return SearchResult.NotFound($"the archive holds no {ContractNames.Of(query.Category)} record matching the subject and name given");
    }
}
