using Exchange.Contracts.Archive.V1;
using Exchange.PartnerSim.Population;

namespace Exchange.PartnerSim.Archive;

/// <summary>The end of a search: FOUND with the record, or NOT_FOUND or REJECTED with a reason free of personal data.</summary>
/// <param name="State">FOUND, NOT_FOUND or REJECTED.</param>
/// <param name="Reason">Why it ended without a record; empty when found.</param>
/// <param name="Holding">The record found, when found.</param>
internal sealed record SearchResult(LookupState State, string Reason, ArchiveHolding? Holding)
{
    public static SearchResult Found(ArchiveHolding holding) => new(LookupState.Found, "", holding);

    public static SearchResult NotFound(string reason) => new(LookupState.NotFound, reason, null);

    public static SearchResult Rejected(string reason) => new(LookupState.Rejected, reason, null);
}
