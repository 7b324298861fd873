using Exchange.Contracts.Medical.V1;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using static Exchange.PartnerSim.Tests.Medical.Bills;

namespace Exchange.PartnerSim.Tests.Medical;

public sealed class ReconciliationTests
{
    // 23:58 on 1 June 2025 in UTC+8: two minutes before the settlement day changes.
    private static readonly DateTimeOffset LateEvening = new(2025, 6, 1, 15, 58, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetReconciliationSummary_MixedDay_TotalsEqualTheSettledSettlements()
    {
        await using var region = await StartAsync(new FakeTimeProvider(LateEvening));
        var a = await region.SettleAsync(Typical(region.TakeEmployee()));
        var b = await region.SettleAsync(Visit(region.TakeResident(), HospitalLevel.Tertiary, Fee(CatalogueClass.A, 1_234_56), Fee(CatalogueClass.B, 78_90)));
        var cEmployee = region.TakeEmployee();
        var c = await region.SettleAsync(Visit(cEmployee, HospitalLevel.Primary, Fee(CatalogueClass.A, 45_67)));
        await region.Client.CancelSettlementAsync(region.CancelRequest(c.SettlementId, cEmployee.CitizenId));

        var summary = await Summary(region, "341021", "2025-06-01");

        Assert.Equal(2, summary.SettledCount);
        Assert.Equal(1, summary.UndoneCount);
        Assert.Equal(a.Amounts.Total.Fen + b.Amounts.Total.Fen, summary.Total.Fen);
        Assert.Equal(a.Amounts.FundPayment.Fen + b.Amounts.FundPayment.Fen, summary.FundPayment.Fen);
        Assert.Equal(a.Amounts.AccountPayment.Fen + b.Amounts.AccountPayment.Fen, summary.AccountPayment.Fen);
        Assert.Equal(a.Amounts.CashPayment.Fen + b.Amounts.CashPayment.Fen, summary.CashPayment.Fen);
        Assert.Equal(summary.Total.Fen, summary.FundPayment.Fen + summary.AccountPayment.Fen + summary.CashPayment.Fen);
    }

    [Fact]
    public async Task GetReconciliationSummary_AcrossMidnightUtcPlus8_GroupsByChinaStandardTimeDay()
    {
        var time = new FakeTimeProvider(LateEvening);
        await using var region = await StartAsync(time);
        var before = await region.SettleAsync(Typical(region.TakeEmployee()));
        time.Advance(TimeSpan.FromMinutes(3));
        var after = await region.SettleAsync(Typical(region.TakeEmployee()));

        var first = await Summary(region, "341021", "2025-06-01");
        var second = await Summary(region, "341021", "2025-06-02");

        Assert.Equal(("2025-06-01", "2025-06-02"), (before.SettlementDate, after.SettlementDate));
        Assert.Equal((1, before.Amounts.Total.Fen), (first.SettledCount, first.Total.Fen));
        Assert.Equal((1, after.Amounts.Total.Fen), (second.SettledCount, second.Total.Fen));
    }

    [Theory]
    [InlineData("341021", 1)]
    [InlineData("341000", 1)]
    [InlineData("340000", 1)]
    [InlineData("330000", 2)]
    [InlineData("330100", 2)]
    [InlineData("330102", 1)]
    [InlineData("320000", 0)]
    public async Task GetReconciliationSummary_TreatmentRegion_CountsOnlySettlementsInsideIt(string treatmentRegion, int expected)
    {
        await using var region = await StartAsync(new FakeTimeProvider(LateEvening));
        await region.SettleAsync(Typical(region.TakeEmployee()));
        await region.SettleAsync(TreatedIn("330102", region.TakeEmployee()));
        await region.SettleAsync(TreatedIn("330106", region.TakeEmployee()));

        var summary = await Summary(region, treatmentRegion, "2025-06-01");

        Assert.Equal(expected, summary.SettledCount);
    }

    [Fact]
    public async Task GetReconciliationSummary_DayWithoutSettlements_ReturnsZeros()
    {
        await using var region = await StartAsync(new FakeTimeProvider(LateEvening));
        await region.SettleAsync(Typical(region.TakeEmployee()));

        var summary = await Summary(region, "341021", "2025-05-31");

        Assert.Equal(new GetReconciliationSummaryResponse { Total = new(), FundPayment = new(), AccountPayment = new(), CashPayment = new() }, summary);
    }

    [Fact]
    public async Task GetReconciliationSummary_RegionNotServed_NotFound()
    {
        await using var region = await StartAsync(new FakeTimeProvider(LateEvening));

        await RpcAssert.FailsWith(StatusCode.NotFound, () => region.Client.GetReconciliationSummaryAsync(new GetReconciliationSummaryRequest
        {
            InsuredRegion = "320000",
            TreatmentRegion = "341021",
            SettlementDate = "2025-06-01",
        }).ResponseAsync);
    }

    [Fact]
    public async Task GetReconciliationSummary_MalformedDate_InvalidArgumentOnSettlementDate()
    {
        await using var region = await StartAsync(new FakeTimeProvider(LateEvening));

        await RpcAssert.FailsWithFieldViolations(
            () => Summary(region, "341021", "2025-6-1"), "settlement_date");
    }

    [Fact]
    public async Task StreamReconciliationDetails_MixedDay_StreamsEverySettlementInOrderWithItsState()
    {
        await using var region = await StartAsync(new FakeTimeProvider(LateEvening));
        var cancelledPerson = region.TakeEmployee();
        var settled = await region.SettleAsync(Typical(region.TakeEmployee()));
        var toCancel = await region.SettleAsync(Typical(cancelledPerson));
        var reverseRequest = region.SettleRequest(Typical(region.TakeResident()));
        var toReverse = (await region.Client.SettleAsync(reverseRequest)).Settlement;
        await region.SettleAsync(TreatedIn("330102", region.TakeEmployee()));
        await region.Client.CancelSettlementAsync(region.CancelRequest(toCancel.SettlementId, cancelledPerson.CitizenId));
        await region.Client.ReverseSettlementAsync(region.ReverseRequest(reverseRequest.RequestId));

        var streamed = await Details(region, "340000", "2025-06-01");

        Assert.Equal([settled.SettlementId, toCancel.SettlementId, toReverse.SettlementId], streamed.Select(s => s.SettlementId));
        Assert.Equal([SettlementState.Settled, SettlementState.Cancelled, SettlementState.Reversed], streamed.Select(s => s.State));
        Assert.Equal(settled, streamed[0]);
    }

    [Fact]
    public async Task StreamReconciliationDetails_OtherDay_StreamsNothing()
    {
        await using var region = await StartAsync(new FakeTimeProvider(LateEvening));
        await region.SettleAsync(Typical(region.TakeEmployee()));

        Assert.Empty(await Details(region, "341021", "2025-06-02"));
    }

    private static Task<MedicalRegion> StartAsync(TimeProvider time) =>
        MedicalRegion.StartAsync(new PartnerRegionOptions { RegionCode = "310000", TimeProvider = time });

    private static Visit TreatedIn(string treatmentRegion, Population.SeededInsurance person)
    {
        var visit = Typical(person);
        visit.TreatmentRegion = treatmentRegion;
        return visit;
    }

    private static async Task<GetReconciliationSummaryResponse> Summary(MedicalRegion region, string treatmentRegion, string date) =>
        await region.Client.GetReconciliationSummaryAsync(new GetReconciliationSummaryRequest
        {
            InsuredRegion = region.Code,
            TreatmentRegion = treatmentRegion,
            SettlementDate = date,
        });

    private static async Task<List<Settlement>> Details(MedicalRegion region, string treatmentRegion, string date)
    {
        using var call = region.Client.StreamReconciliationDetails(new StreamReconciliationDetailsRequest
        {
            InsuredRegion = region.Code,
            TreatmentRegion = treatmentRegion,
            SettlementDate = date,
        });
        var settlements = new List<Settlement>();
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            settlements.Add(message.Settlement);
        }

        return settlements;
    }
}
