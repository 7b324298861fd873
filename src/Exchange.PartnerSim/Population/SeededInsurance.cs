using System.Text;
using Exchange.Contracts.Medical.V1;

namespace Exchange.PartnerSim.Population;

/// <summary>
/// A resident's medical insurance when the simulator starts; amounts in fen, ratios in basis points. The ledger's
/// <c>InsuredAccount</c> is this record with its balances moved on.
/// </summary>
public record SeededInsurance(
    string CitizenId,
    string PersonNumber,
    InsuranceType Type,
    InsuranceStatus Status,
    long AnnualDeductibleFen,
    long AnnualCapFen,
    int PrimaryRatioBp,
    int SecondaryRatioBp,
    int TertiaryRatioBp,
    long AccountBalanceFen,
    long DeductibleRemainingFen,
    long CapRemainingFen)
{
    // Records print every member by default; this one holds an ID number and balances, which must not reach a log.
    protected virtual bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("Type = ").Append(Type).Append(", Status = ").Append(Status);
        return true;
    }
}
