using System.Text.RegularExpressions;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.Sim.V1;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Medical;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Exchange.PartnerSim.Tests.Medical.Bills;

namespace Exchange.PartnerSim.Tests.Medical;

public sealed partial class SettleTests(MedicalRegion region) : IClassFixture<MedicalRegion>
{
    [Fact]
    public async Task Settle_TypicalBill_RecordsTheSettlement()
    {
        var seeded = region.TakeEmployee();
        var visit = Typical(seeded);
        var request = region.SettleRequest(visit);

        var settlement = (await region.Client.SettleAsync(request)).Settlement;

        Assert.Matches(SettlementIdPattern(), settlement.SettlementId);
        Assert.StartsWith(region.Code + "S", settlement.SettlementId, StringComparison.Ordinal);
        Assert.Equal(request.RequestId, settlement.RequestId);
        Assert.Equal(SettlementState.Settled, settlement.State);
        Assert.Equal(region.Code, settlement.InsuredRegion);
        Assert.Equal(MedicalRegion.TreatmentRegion, settlement.TreatmentRegion);
        Assert.Equal(MedicalRegion.HospitalCode, settlement.HospitalCode);
        Assert.Equal(visit.VisitId, settlement.VisitId);
        Assert.Equal(seeded.PersonNumber, settlement.PersonNumber);
        Assert.Equal(SettlementCalculator.Calculate(visit.FeeItems, visit.Hospital.Level, InsuredAccount.From(seeded)), settlement.Amounts);
        SettlementAssert.Invariants(settlement.Amounts);
        var clock = region.Region.Host.Services.GetRequiredService<RegionClock>();
        Assert.Equal(clock.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), settlement.SettlementDate);
        Assert.NotNull(settlement.SettleTime);
        Assert.Null(settlement.UndoTime);
    }

    [Fact]
    public async Task Settle_TypicalBill_ChangesBalancesByExactlyWhatItPaid()
    {
        var seeded = region.TakeEmployee(minimumBalance: 10_00);
        var before = await region.GetPersonAsync(seeded);

        var settlement = await region.SettleAsync(Typical(seeded));

        var after = await region.GetPersonAsync(seeded);
        SettlementAssert.BalancesMovedBy(before, after, settlement.Amounts, sign: -1);
        Assert.Equal(after.AccountBalance.Fen, settlement.Amounts.AccountBalanceAfter.Fen);
        Assert.True(settlement.Amounts.AccountPayment.Fen > 0, "the test person should pay something from the account");
    }

    [Fact]
    public async Task Settle_Resident_PaysNothingFromAnAccount()
    {
        var seeded = region.TakeResident();

        var settlement = await region.SettleAsync(Typical(seeded));

        Assert.Equal(0, settlement.Amounts.AccountPayment.Fen);
        Assert.Equal(settlement.Amounts.PersonalPayment.Fen, settlement.Amounts.CashPayment.Fen);
    }

    [Fact]
    public async Task Settle_AfterPreSettle_PaysWhatPreSettleQuoted()
    {
        var seeded = region.TakeEmployee();
        var visit = Typical(seeded);

        var quote = (await region.Client.PreSettleAsync(region.PreSettleRequest(visit))).Amounts;
        var settlement = await region.SettleAsync(visit);

        Assert.Equal(quote, settlement.Amounts);
    }

    [Fact]
    public async Task Settle_SecondVisit_UsesTheBalancesTheFirstLeft()
    {
        var seeded = region.TakeEmployee(minimumBalance: 10_00);

        var first = await region.SettleAsync(Typical(seeded));
        var second = await region.SettleAsync(Typical(seeded));

        var afterFirst = InsuredAccount.From(seeded).Debit(first.Amounts);
        Assert.Equal(SettlementCalculator.Calculate(Typical(seeded).FeeItems, HospitalLevel.Secondary, afterFirst), second.Amounts);
        Assert.NotEqual(first.SettlementId, second.SettlementId);
    }

    [Fact]
    public async Task Settle_DuplicateRequestId_ReturnsOriginalAndChangesNothing()
    {
        var seeded = region.TakeEmployee(minimumBalance: 10_00);
        var request = region.SettleRequest(Typical(seeded));
        var original = (await region.Client.SettleAsync(request)).Settlement;
        var afterOriginal = await region.GetPersonAsync(seeded);

        var repeat = (await region.Client.SettleAsync(request)).Settlement;

        Assert.Equal(original, repeat);
        Assert.Equal(afterOriginal, await region.GetPersonAsync(seeded));
    }

    [Fact]
    public async Task Settle_SameRequestIdDifferentFees_AlreadyExistsAndChangesNothing()
    {
        var seeded = region.TakeEmployee(minimumBalance: 10_00);
        var request = region.SettleRequest(Typical(seeded));
        var original = (await region.Client.SettleAsync(request)).Settlement;
        var afterOriginal = await region.GetPersonAsync(seeded);
        var different = request.Clone();
        different.Visit.FeeItems[0].Amount.Fen += 1;

        var error = await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => region.Client.SettleAsync(different).ResponseAsync);

        SettlementAssert.DoesNotMention(error, seeded.CitizenId);
        Assert.Equal(afterOriginal, await region.GetPersonAsync(seeded));
        Assert.Equal(original, (await region.Client.SettleAsync(request)).Settlement);
    }

    [Fact]
    public async Task Settle_RepeatAfterCancel_ReturnsTheOriginalSettledResponse()
    {
        var seeded = region.TakeEmployee();
        var request = region.SettleRequest(Typical(seeded));
        var original = (await region.Client.SettleAsync(request)).Settlement;
        await region.Client.CancelSettlementAsync(region.CancelRequest(original.SettlementId, seeded.CitizenId));

        var repeat = (await region.Client.SettleAsync(request)).Settlement;

        Assert.Equal(original, repeat);
        Assert.Equal(SettlementState.Settled, repeat.State);
    }

    [Fact]
    public async Task Settle_TwentyConcurrentDuplicates_SettlesOnce()
    {
        await using var fresh = await MedicalRegion.StartAsync();
        var seeded = fresh.TakeEmployee(minimumBalance: 10_00);
        var before = await fresh.GetPersonAsync(seeded);
        var request = fresh.SettleRequest(Typical(seeded));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => fresh.Client.SettleAsync(request).ResponseAsync));

        Assert.Single(responses.Select(r => r.Settlement).Distinct());
        Assert.Equal(1, fresh.Region.Host.Services.GetRequiredService<ISettlementCounter>().SettlementCount);
        var control = new SimulatorControlService.SimulatorControlServiceClient(fresh.Region.Channel);
        Assert.Equal(1, (await control.GetStatsAsync(new GetStatsRequest())).SettlementCount);
        SettlementAssert.BalancesMovedBy(before, await fresh.GetPersonAsync(seeded), responses[0].Settlement.Amounts, sign: -1);
    }

    [Fact]
    public async Task Settle_TwentyConcurrentDistinctRequests_SettleEachOnceWithDistinctIds()
    {
        await using var fresh = await MedicalRegion.StartAsync();
        var seeded = fresh.TakeEmployee(minimumBalance: 10_00);
        var before = await fresh.GetPersonAsync(seeded);
        var requests = Enumerable.Range(0, 20).Select(_ => fresh.SettleRequest(Visit(seeded, HospitalLevel.Primary, Fee(CatalogueClass.A, 10_00)))).ToArray();

        var responses = await Task.WhenAll(requests.Select(r => fresh.Client.SettleAsync(r).ResponseAsync));

        Assert.Equal(20, responses.Select(r => r.Settlement.SettlementId).Distinct().Count());
        Assert.Equal(20, fresh.Region.Host.Services.GetRequiredService<ISettlementCounter>().SettlementCount);
        var after = await fresh.GetPersonAsync(seeded);
        Assert.Equal(before.AccountBalance.Fen - responses.Sum(r => r.Settlement.Amounts.AccountPayment.Fen), after.AccountBalance.Fen);
        Assert.Equal(before.DeductibleRemaining.Fen - responses.Sum(r => r.Settlement.Amounts.DeductibleApplied.Fen), after.DeductibleRemaining.Fen);
        Assert.Equal(before.CapRemaining.Fen - responses.Sum(r => r.Settlement.Amounts.FundPayment.Fen), after.CapRemaining.Fen);
    }

    [Fact]
    public async Task Settle_SuspendedInsurance_FailedPreconditionAndNothingRecorded()
    {
        var seeded = region.TakeSuspended();
        var request = region.SettleRequest(Typical(seeded));

        var error = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => region.Client.SettleAsync(request).ResponseAsync);

        SettlementAssert.DoesNotMention(error, seeded.CitizenId);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => region.Client.GetSettlementAsync(new GetSettlementRequest
        {
            InsuredRegion = region.Code,
            RequestId = request.RequestId,
            Purpose = Contracts.V1.PurposeOfUse.MedicalSettlement,
        }).ResponseAsync);
    }

    [Fact]
    public async Task Settle_UnknownPerson_NotFoundWithoutTheId()
    {
        var stranger = Exchange.Domain.Identifiers.CitizenId.Create("341021", new DateOnly(1990, 1, 2), 77, new DateOnly(2025, 6, 1)).Value;

        var error = await RpcAssert.FailsWith(
            StatusCode.NotFound,
            () => region.Client.SettleAsync(region.SettleRequest(Visit(stranger, HospitalLevel.Primary, Fee(CatalogueClass.A, 100_00)))).ResponseAsync);

        Assert.Equal($"no insured person with that citizen ID in region {region.Code}", error.Status.Detail);
        SettlementAssert.DoesNotMention(error, stranger);
    }

    [GeneratedRegex(@"^\d{6}S\d{10}$")]
    private static partial Regex SettlementIdPattern();
}
