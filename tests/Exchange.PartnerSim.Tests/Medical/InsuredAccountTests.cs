using System.Globalization;
using Exchange.Contracts.Medical.V1;
using Exchange.PartnerSim.Medical;
using Exchange.PartnerSim.Population;
using static Exchange.PartnerSim.Tests.Medical.Bills;

namespace Exchange.PartnerSim.Tests.Medical;

public sealed class InsuredAccountTests
{
    private static readonly SeededInsurance Seeded = PopulationSeeder.Create("310000", 2260, new DateOnly(2026, 6, 1)).Insurance
        .First(i => i.Type == InsuranceType.Employee && i.AccountBalanceFen > 0);

    [Fact]
    public void ToString_OfTheSeedAndTheAccount_NamesNeitherTheIdNumberNorAnyAmount()
    {
        // Records print every member unless told otherwise, and a record reaching a log would carry both.
        foreach (var text in new[] { Seeded.ToString(), InsuredAccount.From(Seeded).ToString() })
        {
            Assert.DoesNotContain(Seeded.CitizenId, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Seeded.PersonNumber, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Seeded.AccountBalanceFen.ToString(CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
            Assert.Contains("Type = Employee", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Debit_MovesOnlyTheBalances_AndCreditPutsThemBack()
    {
        var account = InsuredAccount.From(Seeded);
        var amounts = SettlementCalculator.Calculate([Fee(CatalogueClass.A, 300_00)], HospitalLevel.Secondary, account);

        var debited = account.Debit(amounts);

        Assert.Equal(
            (Seeded.CitizenId, Seeded.PersonNumber, Seeded.AnnualCapFen, Seeded.SecondaryRatioBp),
            (debited.CitizenId, debited.PersonNumber, debited.AnnualCapFen, debited.SecondaryRatioBp));
        Assert.Equal(Seeded.AccountBalanceFen - amounts.AccountPayment.Fen, debited.AccountBalanceFen);
        Assert.Equal(Seeded.CapRemainingFen - amounts.FundPayment.Fen, debited.CapRemainingFen);
        Assert.Equal(account, debited.Credit(amounts));
    }
}
