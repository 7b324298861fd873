using Exchange.Contracts.Sim.V1;
using Exchange.Gateway.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Xunit.Abstractions;

namespace Exchange.Gateway.Tests.Faults;

/// <summary>
/// The headline fault runs: 1,000 settlements through one gateway (embedded SQLite store) on real sockets, while the
/// partner regions' simulators fail one call in five, and the hospital's client resends each bill under its msgid
/// until it has the answer. At the partners, afterwards: one settlement per msgid, balances and reconciliation exact.
/// </summary>
[Collection(FaultRuns.Name)]
public sealed class SettlementUnderFaultsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ThousandSettlements_PartnersFailing20PercentUnavailable_EachMsgidSettledOnce_BalancesAndReconciliationExact()
    {
        var faults = new RunFaults(
            "1,000 settlements, partners failing 20% UNAVAILABLE",
            new FaultSettings { Errors = { new ErrorFault { StatusCode = (int)StatusCode.Unavailable, Rate = 0.2 } } });
        await using var environment = await GatewayEnvironment.StartAsync(SettlementFaultRun.ForRun, SettlementFaultRun.OwnDice);

        var figures = await SettlementFaultRun.RunAsync(environment, [environment.ChannelFor(TestParticipants.Hospital)], [], faults, 1000, output);

        // A partner's UNAVAILABLE may come after it carried the request out: for a settlement it is an unknown outcome,
        // recorded as such and resent under the same msgid when the client asks again.
        Assert.True(figures.InjectedUnavailable > 0, "no fault was injected");
        Assert.True(figures.RecordedUnknown >= figures.InjectedUnavailable, $"{figures.InjectedUnavailable} UNAVAILABLE injected, {figures.RecordedUnknown} unknown outcomes recorded");
        Assert.Equal(figures.RecordedUnknown, figures.Resent);
    }

    [Fact]
    public async Task ThousandSettlements_SomeAnswersLostAfterThePartnerSettled_EachMsgidSettledOnce_BalancesAndReconciliationExact()
    {
        // About one call in five fails: 10% UNAVAILABLE at the partner, 5% held at the partner beyond the caller's
        // deadline (the simulator's latency, before settling: cancelled unsettled), and 6% of the answers of the
        // settlements the partner made lost on the way back, so the gateway sees only its deadline pass.
        var faults = new RunFaults(
            "1,000 settlements, ~20% failures: 10% UNAVAILABLE, 5% delayed beyond the deadline, 6% of answers lost after settling",
            new FaultSettings
            {
                Errors = { new ErrorFault { StatusCode = (int)StatusCode.Unavailable, Rate = 0.10 } },
                Latency = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
                LatencyRate = 0.05,
            },
            AnswersLost: 0.06);
        var links = await SettlementFaultRun.StartLinksAsync(faults);
        try
        {
            await using var environment = await GatewayEnvironment.StartAsync(options => SettlementFaultRun.ThroughLinks(SettlementFaultRun.ForRun(options), links), SettlementFaultRun.OwnDice);
            foreach (var link in links)
            {
                link.Connect(environment);
            }

            var figures = await SettlementFaultRun.RunAsync(environment, [environment.ChannelFor(TestParticipants.Hospital)], links, faults, 1000, output);

            Assert.True(figures.AnswersLostAfterSettling > 0, "no answer was lost");
            Assert.True(figures.CancelledAtPartners > 0, "no call was delayed beyond the deadline");
            // Each answer lost after settling left the gateway with an unknown outcome past the deadline; the client's
            // resend of the same msgid was answered by the partner's deduplication, with the settlement it had made.
            Assert.True(figures.UnknownAfterDeadline >= figures.AnswersLostAfterSettling, $"{figures.UnknownAfterDeadline} unknown after the deadline, {figures.AnswersLostAfterSettling} answers lost");
            Assert.True(figures.DedupedByPartners >= figures.AnswersLostAfterSettling, $"{figures.DedupedByPartners} repeats deduplicated by the partners, {figures.AnswersLostAfterSettling} answers lost");
        }
        finally
        {
            foreach (var link in links)
            {
                await link.DisposeAsync();
            }
        }
    }
}
