using System.Text;
using Exchange.Contracts.Credit.V1;

namespace Exchange.PartnerSim.Population;

/// <summary>A credit record the region's authorities published before the simulator started.</summary>
/// <param name="SubjectCitizenId">Set for a natural person; otherwise <see cref="SubjectCreditCode"/> is set.</param>
/// <param name="SubjectCreditCode">Set for an organisation.</param>
/// <param name="SubjectName">Name of the person or organisation.</param>
/// <param name="Kind">Kind of record.</param>
/// <param name="Authority">Deciding authority.</param>
/// <param name="DecisionNumber">Decision document number, unique per authority.</param>
/// <param name="DecisionDate">Date of the decision.</param>
/// <param name="Violation">What was violated.</param>
/// <param name="PenaltyType">Penalty type (penalties only).</param>
/// <param name="PenaltyAmountFen">Fine in fen (fines only).</param>
/// <param name="PublicationStart">First day of publication.</param>
/// <param name="PublicationEnd">Last day of publication (inclusive).</param>
public sealed record SeededCreditRecord(
    string? SubjectCitizenId,
    string? SubjectCreditCode,
    string SubjectName,
    RecordKind Kind,
    string Authority,
    string DecisionNumber,
    DateOnly DecisionDate,
    string Violation,
    PenaltyType PenaltyType,
    long PenaltyAmountFen,
    DateOnly PublicationStart,
    DateOnly PublicationEnd)
{
    // Records print every member by default; this one names a person or organisation and the fine, which must not reach a log.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Kind = ").Append(Kind).Append(", PenaltyType = ").Append(PenaltyType);
        return true;
    }
}
