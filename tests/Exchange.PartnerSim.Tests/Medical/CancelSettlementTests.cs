using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;
using static Exchange.PartnerSim.Tests.Medical.Bills;

namespace Exchange.PartnerSim.Tests.Medical;

public sealed class CancelSettlementTests(MedicalRegion region) : IClassFixture<MedicalRegion>
{
    [Fact]
    public async Task CancelSettlement_Settled_RestoresEveryBalanceExactly()
    {
        var seeded = region.TakeEmployee(minimumBalance: 10_00);
        var before = await region.GetPersonAsync(seeded);
        var settlement = await region.SettleAsync(Typical(seeded));
        var afterSettle = await region.GetPersonAsync(seeded);

        var cancelled = (await region.Client.CancelSettlementAsync(region.CancelRequest(settlement.SettlementId, seeded.CitizenId))).Settlement;

        var after = await region.GetPersonAsync(seeded);
        Assert.Equal(before, after);
        SettlementAssert.BalancesMovedBy(afterSettle, after, settlement.Amounts, sign: +1);
        Assert.Equal(SettlementState.Cancelled, cancelled.State);
        Assert.NotNull(cancelled.UndoTime);
        Assert.Equal(settlement.SettlementId, cancelled.SettlementId);
        Assert.Equal(settlement.Amounts, cancelled.Amounts);
        Assert.Equal(cancelled, await GetSettlement(settlement.SettlementId));
    }

    [Fact]
    public async Task CancelSettlement_EarlierOfTwo_RestoresOnlyWhatThatOneTook()
    {
        var seeded = region.TakeEmployee(minimumBalance: 10_00);
        var first = await region.SettleAsync(Typical(seeded));
        await region.SettleAsync(Visit(seeded, HospitalLevel.Tertiary, Fee(CatalogueClass.A, 2_000_00)));
        var beforeCancel = await region.GetPersonAsync(seeded);

        await region.Client.CancelSettlementAsync(region.CancelRequest(first.SettlementId, seeded.CitizenId));

        SettlementAssert.BalancesMovedBy(beforeCancel, await region.GetPersonAsync(seeded), first.Amounts, sign: +1);
    }

    [Fact]
    public async Task CancelSettlement_DuplicateRequestId_ReturnsOriginalAndRestoresOnce()
    {
        var seeded = region.TakeEmployee(minimumBalance: 10_00);
        var before = await region.GetPersonAsync(seeded);
        var settlement = await region.SettleAsync(Typical(seeded));
        var cancel = region.CancelRequest(settlement.SettlementId, seeded.CitizenId);
        var original = (await region.Client.CancelSettlementAsync(cancel)).Settlement;

        var repeat = (await region.Client.CancelSettlementAsync(cancel)).Settlement;

        Assert.Equal(original, repeat);
        Assert.Equal(before, await region.GetPersonAsync(seeded));
    }

    [Fact]
    public async Task CancelSettlement_AlreadyCancelled_FailedPreconditionAndChangesNothing()
    {
        var seeded = region.TakeEmployee();
        var settlement = await region.SettleAsync(Typical(seeded));
        await region.Client.CancelSettlementAsync(region.CancelRequest(settlement.SettlementId, seeded.CitizenId));
        var afterCancel = await region.GetPersonAsync(seeded);

        var error = await RpcAssert.FailsWith(
            StatusCode.FailedPrecondition,
            () => region.Client.CancelSettlementAsync(region.CancelRequest(settlement.SettlementId, seeded.CitizenId)).ResponseAsync);

        Assert.Equal($"settlement {settlement.SettlementId} is already cancelled; only a settled settlement can be cancelled", error.Status.Detail);
        Assert.Equal(afterCancel, await region.GetPersonAsync(seeded));
    }

    [Fact]
    public async Task CancelSettlement_Reversed_FailedPrecondition()
    {
        var seeded = region.TakeEmployee();
        var request = region.SettleRequest(Typical(seeded));
        var settlement = (await region.Client.SettleAsync(request)).Settlement;
        await region.Client.ReverseSettlementAsync(region.ReverseRequest(request.RequestId));

        var error = await RpcAssert.FailsWith(
            StatusCode.FailedPrecondition,
            () => region.Client.CancelSettlementAsync(region.CancelRequest(settlement.SettlementId, seeded.CitizenId)).ResponseAsync);

        Assert.Contains("already reversed", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelSettlement_AnotherPersonsCitizenId_FailedPreconditionAndStaysSettled()
    {
        var seeded = region.TakeEmployee();
        var other = region.TakeEmployee();
        var settlement = await region.SettleAsync(Typical(seeded));
        var afterSettle = await region.GetPersonAsync(seeded);

        var error = await RpcAssert.FailsWith(
            StatusCode.FailedPrecondition,
            () => region.Client.CancelSettlementAsync(region.CancelRequest(settlement.SettlementId, other.CitizenId)).ResponseAsync);

        Assert.Equal($"citizen_id is not the person of settlement {settlement.SettlementId}", error.Status.Detail);
        SettlementAssert.DoesNotMention(error, other.CitizenId);
        SettlementAssert.DoesNotMention(error, seeded.CitizenId);
        Assert.Equal(SettlementState.Settled, (await GetSettlement(settlement.SettlementId)).State);
        Assert.Equal(afterSettle, await region.GetPersonAsync(seeded));
    }

    [Fact]
    public async Task CancelSettlement_UnknownSettlementId_NotFound()
    {
        var seeded = region.TakeEmployee();

        var error = await RpcAssert.FailsWith(
            StatusCode.NotFound,
            () => region.Client.CancelSettlementAsync(region.CancelRequest($"{region.Code}S9999999999", seeded.CitizenId)).ResponseAsync);

        Assert.Equal($"no settlement with that settlement_id in region {region.Code}", error.Status.Detail);
    }

    [Fact]
    public async Task CancelSettlement_RegionNotServed_NotFound()
    {
        var seeded = region.TakeEmployee();
        var settlement = await region.SettleAsync(Typical(seeded));
        var cancel = region.CancelRequest(settlement.SettlementId, seeded.CitizenId);
        cancel.InsuredRegion = "330000";

        await RpcAssert.FailsWith(StatusCode.NotFound, () => region.Client.CancelSettlementAsync(cancel).ResponseAsync);

        Assert.Equal(SettlementState.Settled, (await GetSettlement(settlement.SettlementId)).State);
    }

    private async Task<Settlement> GetSettlement(string settlementId) =>
        (await region.Client.GetSettlementAsync(new GetSettlementRequest
        {
            InsuredRegion = region.Code,
            SettlementId = settlementId,
            Purpose = PurposeOfUse.MedicalSettlement,
        })).Settlement;
}
