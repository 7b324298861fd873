using System.Text;
using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.V1;

namespace Exchange.PartnerSim.Archive;

/// <summary>What a look-up asks for. Holds personal data: never log it or put it in a message.</summary>
/// <param name="LookupId">The look-up's id.</param>
/// <param name="Category">The kind of record.</param>
/// <param name="CitizenId">The person the record is about.</param>
/// <param name="SubjectName">The name as the requester gave it.</param>
/// <param name="Purpose">The purpose stated on submission.</param>
internal sealed record LookupQuery(string LookupId, ArchiveCategory Category, string CitizenId, string SubjectName, PurposeOfUse Purpose)
{
    // Records print every member by default; this one names a person, which must not reach a log.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("LookupId = ").Append(LookupId).Append(", Category = ").Append(Category).Append(", Purpose = ").Append(Purpose);
        return true;
    }
}
