using Exchange.Contracts.Medical.V1;
using Exchange.Domain.Money;

namespace Exchange.PartnerSim.Medical;

/// <summary>
/// Splits an outpatient bill between the pooled fund, the personal account and cash. Pure: it reads the person's
/// balances and changes nothing, so pre-settlement and settlement compute the same split.
/// </summary>
/// <remarks>
/// eligible = Σ class A + Σ (class B − its 10% self-pay share); out-of-catalogue items are not eligible.
/// The deductible takes eligible fees first; the fund pays its ratio of the rest, up to the cap remaining; the person
/// pays the remainder, from the personal account (employees) as far as the balance goes, then in cash.
/// Every share is rounded down to the fen, so the remainder always falls to the person and the split adds up exactly.
/// </remarks>
internal static class SettlementCalculator
{
    /// <summary>Share of a class B item the patient pays before anything is eligible (10%).</summary>
    public const int ClassBSelfPayBasisPoints = 1_000;

    /// <summary>Computes the split of <paramref name="feeItems"/> for <paramref name="account"/> at a hospital of <paramref name="level"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An item has no known catalogue class or a negative amount, or the level has no ratio.</exception>
    /// <exception cref="OverflowException">The bill's total does not fit in fen.</exception>
    public static SettlementAmounts Calculate(IEnumerable<FeeItem> feeItems, HospitalLevel level, InsuredAccount account)
    {
        ArgumentNullException.ThrowIfNull(feeItems);
        ArgumentNullException.ThrowIfNull(account);

        long total = 0;
        long eligible = 0;
        foreach (var item in feeItems)
        {
            var amount = item.Amount?.Fen ?? 0;
            total = checked(total + amount);
            eligible = checked(eligible + EligiblePart(item.CatalogueClass, amount));
        }

        var deductibleApplied = Math.Min(eligible, account.DeductibleRemainingFen);
        var fund = Math.Min(Fen.ApplyRatio(eligible - deductibleApplied, account.RatioFor(level)), account.CapRemainingFen);
        var personal = total - fund;
        var accountPayment = account.HasPersonalAccount ? Math.Min(personal, account.AccountBalanceFen) : 0;
        return new SettlementAmounts
        {
            Total = new() { Fen = total },
            Eligible = new() { Fen = eligible },
            DeductibleApplied = new() { Fen = deductibleApplied },
            FundPayment = new() { Fen = fund },
            PersonalPayment = new() { Fen = personal },
            AccountPayment = new() { Fen = accountPayment },
            CashPayment = new() { Fen = personal - accountPayment },
            AccountBalanceAfter = new() { Fen = account.AccountBalanceFen - accountPayment },
            FundPayments = { new FundPayment { FundType = FundType.BasicPooled, Amount = new() { Fen = fund } } },
        };
    }

    /// <summary>The part of one item's amount that is eligible for reimbursement.</summary>
    public static long EligiblePart(CatalogueClass catalogueClass, long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        return catalogueClass switch
        {
            CatalogueClass.A => amount,
            CatalogueClass.B => amount - Fen.ApplyRatio(amount, ClassBSelfPayBasisPoints),
            CatalogueClass.OutOfCatalogue => 0,
            _ => throw new ArgumentOutOfRangeException(nameof(catalogueClass), catalogueClass, "not a catalogue class"),
        };
    }
}
