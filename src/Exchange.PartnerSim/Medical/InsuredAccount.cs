using Exchange.Contracts.Medical.V1;
using Exchange.PartnerSim.Population;

namespace Exchange.PartnerSim.Medical;

/// <summary>
/// One person's medical insurance as the ledger holds it now: the plan and the year-to-date balances. Immutable; the
/// ledger replaces it when a settlement, cancel or reversal changes a balance. Amounts in fen, ratios in basis points.
/// </summary>
internal sealed record InsuredAccount : SeededInsurance
{
    private InsuredAccount(SeededInsurance seeded)
        : base(seeded)
    {
    }

    /// <summary>Employees have a personal account; residents do not.</summary>
    public bool HasPersonalAccount => Type == InsuranceType.Employee;

    /// <summary>The account as seeded at start.</summary>
    public static InsuredAccount From(SeededInsurance seeded) => new(seeded);

    /// <summary>The share of eligible fees the fund pays at an institution of <paramref name="level"/>.</summary>
    public int RatioFor(HospitalLevel level) => level switch
    {
        HospitalLevel.Primary => PrimaryRatioBp,
        HospitalLevel.Secondary => SecondaryRatioBp,
        HospitalLevel.Tertiary => TertiaryRatioBp,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a hospital level with a ratio"),
    };

    /// <summary>The balances after a settlement of <paramref name="amounts"/>.</summary>
    public InsuredAccount Debit(SettlementAmounts amounts) => this with
    {
        AccountBalanceFen = AccountBalanceFen - amounts.AccountPayment.Fen,
        DeductibleRemainingFen = DeductibleRemainingFen - amounts.DeductibleApplied.Fen,
        CapRemainingFen = CapRemainingFen - amounts.FundPayment.Fen,
    };

    /// <summary>The balances after undoing a settlement of <paramref name="amounts"/>: exactly what it took goes back.</summary>
    public InsuredAccount Credit(SettlementAmounts amounts) => this with
    {
        AccountBalanceFen = AccountBalanceFen + amounts.AccountPayment.Fen,
        DeductibleRemainingFen = DeductibleRemainingFen + amounts.DeductibleApplied.Fen,
        CapRemainingFen = CapRemainingFen + amounts.FundPayment.Fen,
    };

    /// <summary>The contract's view of this person.</summary>
    public InsuredPerson ToProto(string insuredRegion, string name) => new()
    {
        PersonNumber = PersonNumber,
        Name = name,
        InsuredRegion = insuredRegion,
        InsuranceType = Type,
        Status = Status,
        Plan = new OutpatientPlan
        {
            AnnualDeductible = new() { Fen = AnnualDeductibleFen },
            AnnualCap = new() { Fen = AnnualCapFen },
            PrimaryRatioBp = PrimaryRatioBp,
            SecondaryRatioBp = SecondaryRatioBp,
            TertiaryRatioBp = TertiaryRatioBp,
        },
        AccountBalance = new() { Fen = AccountBalanceFen },
        DeductibleRemaining = new() { Fen = DeductibleRemainingFen },
        CapRemaining = new() { Fen = CapRemainingFen },
    };
}
