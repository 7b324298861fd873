using Exchange.Contracts.Medical.V1;
using Google.Rpc;
using Grpc.Core;

namespace Exchange.PartnerSim.Tests.Medical;

/// <summary>Assertions shared by the settlement tests.</summary>
public static class SettlementAssert
{
    /// <summary>total = fund + personal; personal = account + cash; nothing negative.</summary>
    public static void Invariants(SettlementAmounts amounts)
    {
        Assert.Equal(amounts.Total.Fen, amounts.FundPayment.Fen + amounts.PersonalPayment.Fen);
        Assert.Equal(amounts.PersonalPayment.Fen, amounts.AccountPayment.Fen + amounts.CashPayment.Fen);
        Assert.All(
            new[] { amounts.Total, amounts.Eligible, amounts.DeductibleApplied, amounts.FundPayment, amounts.PersonalPayment, amounts.AccountPayment, amounts.CashPayment, amounts.AccountBalanceAfter },
            money => Assert.True(money.Fen >= 0));
    }

    /// <summary>Balances moved by exactly what the settlement took (negative <paramref name="sign"/>) or gave back.</summary>
    public static void BalancesMovedBy(InsuredPerson before, InsuredPerson after, SettlementAmounts amounts, int sign)
    {
        Assert.Equal(before.AccountBalance.Fen + (sign * amounts.AccountPayment.Fen), after.AccountBalance.Fen);
        Assert.Equal(before.DeductibleRemaining.Fen + (sign * amounts.DeductibleApplied.Fen), after.DeductibleRemaining.Fen);
        Assert.Equal(before.CapRemaining.Fen + (sign * amounts.FundPayment.Fen), after.CapRemaining.Fen);
    }

    /// <summary>Neither the status message nor any field violation repeats <paramref name="citizenId"/>.</summary>
    public static void DoesNotMention(RpcException error, string citizenId)
    {
        Assert.DoesNotContain(citizenId, error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(citizenId, error.Message, StringComparison.Ordinal);
        var violations = error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations ?? [];
        Assert.All(violations, v => Assert.DoesNotContain(citizenId, v.Description, StringComparison.Ordinal));
    }
}
