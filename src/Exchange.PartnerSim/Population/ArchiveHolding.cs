using System.Text;
using Exchange.Contracts.Archive.V1;

namespace Exchange.PartnerSim.Population;

/// <summary>A record the region's archive holds about a resident.</summary>
/// <param name="CitizenId">The person the record is about.</param>
/// <param name="Category">Kind of record.</param>
/// <param name="Year">Year the record was made.</param>
/// <param name="Summary">What the certificate states (e.g. "Marriage registered at ... in 1987").</param>
public sealed record ArchiveHolding(string CitizenId, ArchiveCategory Category, int Year, string Summary)
{
    // Records print every member by default; this one names a person, which must not reach a log.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Category = ").Append(Category).Append(", Year = ").Append(Year);
        return true;
    }
}
