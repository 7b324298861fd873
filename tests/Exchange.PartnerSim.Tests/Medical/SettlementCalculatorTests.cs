using Exchange.Contracts.Medical.V1;
using Exchange.Domain.Money;
using Exchange.PartnerSim.Medical;
using Exchange.PartnerSim.Population;
using static Exchange.PartnerSim.Tests.Medical.Bills;

namespace Exchange.PartnerSim.Tests.Medical;

public sealed class SettlementCalculatorTests
{
    [Fact]
    public void Calculate_EmployeeWithDeductiblePartlyUsedAndClassB_SplitsAsWorkedByHand()
    {
        var account = Employee(balance: 50_00, deductibleRemaining: 100_00, capRemaining: 10_000_00);

        var amounts = SettlementCalculator.Calculate(
            [Fee(CatalogueClass.A, 300_00), Fee(CatalogueClass.B, 200_00), Fee(CatalogueClass.OutOfCatalogue, 50_00)],
            HospitalLevel.Secondary,
            account);

        // eligible = 300.00 + (200.00 − 20.00) = 480.00; deductible takes 100.00; fund = 85% of 380.00 = 323.00;
        // personal = 550.00 − 323.00 = 227.00, of which the whole 50.00 balance from the account.
        AssertAmounts(amounts, total: 550_00, eligible: 480_00, deductible: 100_00, fund: 323_00, personal: 227_00, account: 50_00, cash: 177_00, balanceAfter: 0);
    }

    [Fact]
    public void Calculate_CapAlmostReached_FundPaysOnlyTheCapRemaining()
    {
        var account = Employee(balance: 1_000_00, deductibleRemaining: 0, capRemaining: 100_00);

        var amounts = SettlementCalculator.Calculate([Fee(CatalogueClass.A, 500_00)], HospitalLevel.Tertiary, account);

        // 80% of 500.00 would be 400.00, but only 100.00 of the cap is left; the account covers the rest.
        AssertAmounts(amounts, total: 500_00, eligible: 500_00, deductible: 0, fund: 100_00, personal: 400_00, account: 400_00, cash: 0, balanceAfter: 600_00);
    }

    [Fact]
    public void Calculate_ResidentWithoutAccount_PaysPersonalPartInCashAndRoundsFundDown()
    {
        var account = Resident(deductibleRemaining: 800_00, capRemaining: 3_000_00);

        var amounts = SettlementCalculator.Calculate(
            [Fee(CatalogueClass.A, 1_000_00), Fee(CatalogueClass.B, 334)],
            HospitalLevel.Primary,
            account);

        // B 3.34: the patient's 10% is 0.33 (floored), so 3.01 is eligible; eligible 1003.01, less 800.00 deductible
        // = 203.01; 70% = 142.107 → 142.10 (floored, the fen falls to the person).
        AssertAmounts(amounts, total: 1_003_34, eligible: 1_003_01, deductible: 800_00, fund: 142_10, personal: 861_24, account: 0, cash: 861_24, balanceAfter: 0);
    }

    [Fact]
    public void Calculate_EligibleBelowDeductible_FundPaysNothing()
    {
        var account = Employee(balance: 0, deductibleRemaining: 1_500_00, capRemaining: 6_000_00);

        var amounts = SettlementCalculator.Calculate([Fee(CatalogueClass.A, 120_00)], HospitalLevel.Primary, account);

        AssertAmounts(amounts, total: 120_00, eligible: 120_00, deductible: 120_00, fund: 0, personal: 120_00, account: 0, cash: 120_00, balanceAfter: 0);
    }

    [Fact]
    public void Calculate_OnlyOutOfCatalogue_NothingEligible()
    {
        var account = Employee(balance: 10_00, deductibleRemaining: 0, capRemaining: 6_000_00);

        var amounts = SettlementCalculator.Calculate([Fee(CatalogueClass.OutOfCatalogue, 80_00)], HospitalLevel.Tertiary, account);

        AssertAmounts(amounts, total: 80_00, eligible: 0, deductible: 0, fund: 0, personal: 80_00, account: 10_00, cash: 70_00, balanceAfter: 0);
    }

    [Theory]
    [InlineData(HospitalLevel.Primary, 9_000_00)]
    [InlineData(HospitalLevel.Secondary, 8_500_00)]
    [InlineData(HospitalLevel.Tertiary, 8_000_00)]
    public void Calculate_HospitalLevel_ChoosesThatLevelsRatio(HospitalLevel level, long expectedFund)
    {
        var account = Employee(balance: 0, deductibleRemaining: 0, capRemaining: 100_000_00);

        var amounts = SettlementCalculator.Calculate([Fee(CatalogueClass.A, 10_000_00)], level, account);

        Assert.Equal(expectedFund, amounts.FundPayment.Fen);
    }

    [Fact]
    public void Calculate_SingleFundPayment_IsBasicPooledAndSumsToFundPayment()
    {
        var amounts = SettlementCalculator.Calculate(
            [Fee(CatalogueClass.A, 500_00)], HospitalLevel.Secondary, Employee(balance: 0, deductibleRemaining: 0, capRemaining: 6_000_00));

        var payment = Assert.Single(amounts.FundPayments);
        Assert.Equal(FundType.BasicPooled, payment.FundType);
        Assert.Equal(amounts.FundPayment.Fen, payment.Amount.Fen);
    }

    [Theory]
    [InlineData(CatalogueClass.A, 1_000, 1_000)]
    [InlineData(CatalogueClass.B, 1_000, 900)]
    [InlineData(CatalogueClass.B, 19, 18)]
    [InlineData(CatalogueClass.B, 9, 9)]
    [InlineData(CatalogueClass.OutOfCatalogue, 1_000, 0)]
    public void EligiblePart_ByCatalogueClass_FollowsTheCatalogue(CatalogueClass catalogueClass, long amount, long expected) =>
        Assert.Equal(expected, SettlementCalculator.EligiblePart(catalogueClass, amount));

    [Fact]
    public void EligiblePart_UnspecifiedClass_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SettlementCalculator.EligiblePart(CatalogueClass.Unspecified, 100));

    [Fact]
    public void Calculate_ManySeededRandomBills_KeepBothInvariantsAndStayWithinBalances()
    {
        var random = new Random(20250601);
        var classes = new[] { CatalogueClass.A, CatalogueClass.B, CatalogueClass.OutOfCatalogue };
        var levels = new[] { HospitalLevel.Primary, HospitalLevel.Secondary, HospitalLevel.Tertiary };
        for (var run = 0; run < 5_000; run++)
        {
            var employee = random.Next(2) == 0;
            var account = InsuredAccount.From(new SeededInsurance(
                "unused", "unused",
                employee ? InsuranceType.Employee : InsuranceType.Resident,
                InsuranceStatus.Active,
                AnnualDeductibleFen: 1_500_00,
                AnnualCapFen: 6_000_00,
                PrimaryRatioBp: random.Next(0, 10_001),
                SecondaryRatioBp: random.Next(0, 10_001),
                TertiaryRatioBp: random.Next(0, 10_001),
                AccountBalanceFen: employee ? random.NextInt64(0, 1_000_000) : 0,
                DeductibleRemainingFen: random.NextInt64(0, 1_500_01),
                CapRemainingFen: random.NextInt64(0, 6_000_01)));
            // Mostly everyday bills, now and then one near the largest amount a line can carry.
            var fees = Enumerable.Range(0, random.Next(1, 30))
                .Select(_ => Fee(classes[random.Next(3)], random.Next(50) == 0 ? random.NextInt64(1, Fen.MaxAmount / 500) : random.NextInt64(1, 2_000_00)))
                .ToArray();

            var a = SettlementCalculator.Calculate(fees, levels[random.Next(3)], account);

            var context = $"run {run}";
            Assert.True(a.Total.Fen == a.FundPayment.Fen + a.PersonalPayment.Fen, context);
            Assert.True(a.PersonalPayment.Fen == a.AccountPayment.Fen + a.CashPayment.Fen, context);
            Assert.True(a.Total.Fen == fees.Sum(f => f.Amount.Fen), context);
            Assert.All(
                new[] { a.Total, a.Eligible, a.DeductibleApplied, a.FundPayment, a.PersonalPayment, a.AccountPayment, a.CashPayment, a.AccountBalanceAfter },
                m => Assert.True(m.Fen >= 0, context));
            Assert.True(a.Eligible.Fen <= a.Total.Fen, context);
            Assert.True(a.DeductibleApplied.Fen <= account.DeductibleRemainingFen, context);
            Assert.True(a.FundPayment.Fen <= account.CapRemainingFen, context);
            Assert.True(a.FundPayment.Fen <= a.Eligible.Fen - a.DeductibleApplied.Fen, context);
            Assert.True(a.AccountPayment.Fen <= account.AccountBalanceFen, context);
            Assert.True(a.AccountBalanceAfter.Fen == account.AccountBalanceFen - a.AccountPayment.Fen, context);
            Assert.True(a.FundPayments.Sum(p => p.Amount.Fen) == a.FundPayment.Fen, context);
            Assert.True(employee || a.AccountPayment.Fen == 0, context);
        }
    }

    internal static InsuredAccount Employee(long balance, long deductibleRemaining, long capRemaining) => InsuredAccount.From(new SeededInsurance(
        "unused", "unused", InsuranceType.Employee, InsuranceStatus.Active,
        AnnualDeductibleFen: 1_500_00, AnnualCapFen: 10_000_00,
        PrimaryRatioBp: 9_000, SecondaryRatioBp: 8_500, TertiaryRatioBp: 8_000,
        AccountBalanceFen: balance, DeductibleRemainingFen: deductibleRemaining, CapRemainingFen: capRemaining));

    internal static InsuredAccount Resident(long deductibleRemaining, long capRemaining) => InsuredAccount.From(new SeededInsurance(
        "unused", "unused", InsuranceType.Resident, InsuranceStatus.Active,
        AnnualDeductibleFen: 800_00, AnnualCapFen: 3_000_00,
        PrimaryRatioBp: 7_000, SecondaryRatioBp: 6_000, TertiaryRatioBp: 5_000,
        AccountBalanceFen: 0, DeductibleRemainingFen: deductibleRemaining, CapRemainingFen: capRemaining));

    private static void AssertAmounts(
        SettlementAmounts amounts, long total, long eligible, long deductible, long fund, long personal, long account, long cash, long balanceAfter)
    {
        Assert.Equal(
            (total, eligible, deductible, fund, personal, account, cash, balanceAfter),
            (amounts.Total.Fen, amounts.Eligible.Fen, amounts.DeductibleApplied.Fen, amounts.FundPayment.Fen,
                amounts.PersonalPayment.Fen, amounts.AccountPayment.Fen, amounts.CashPayment.Fen, amounts.AccountBalanceAfter.Fen));
    }
}
