using Exchange.Contracts.Medical.V1;

namespace Exchange.PartnerSim.Population;

/// <summary>A resident's medical insurance when the simulator starts; amounts in fen, ratios in basis points.</summary>
public sealed record SeededInsurance(
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
    long CapRemainingFen);
