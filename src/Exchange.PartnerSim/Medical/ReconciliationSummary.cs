using Exchange.Contracts.Medical.V1;

namespace Exchange.PartnerSim.Medical;

/// <summary>Totals of one day's settlements (national 3201): undone ones are counted apart and left out of the sums.</summary>
internal static class ReconciliationSummary
{
    public static GetReconciliationSummaryResponse Of(IEnumerable<Settlement> settlements)
    {
        ArgumentNullException.ThrowIfNull(settlements);
        int settled = 0, undone = 0;
        long total = 0, fund = 0, account = 0, cash = 0;
        foreach (var settlement in settlements)
        {
            if (settlement.State != SettlementState.Settled)
            {
                undone++;
                continue;
            }

            settled++;
            var amounts = settlement.Amounts;
            total = checked(total + amounts.Total.Fen);
            fund = checked(fund + amounts.FundPayment.Fen);
            account = checked(account + amounts.AccountPayment.Fen);
            cash = checked(cash + amounts.CashPayment.Fen);
        }

        return new GetReconciliationSummaryResponse
        {
            SettledCount = settled,
            UndoneCount = undone,
            Total = new() { Fen = total },
            FundPayment = new() { Fen = fund },
            AccountPayment = new() { Fen = account },
            CashPayment = new() { Fen = cash },
        };
    }
}
