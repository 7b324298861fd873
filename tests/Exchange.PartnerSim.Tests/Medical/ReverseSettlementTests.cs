using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Medical;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Exchange.PartnerSim.Tests.Medical.Bills;

namespace Exchange.PartnerSim.Tests.Medical;

public sealed class ReverseSettlementTests(MedicalRegion region) : IClassFixture<MedicalRegion>
{
    [Fact]
    public async Task ReverseSettlement_Settled_ReversesAndRestoresBalances()
    {
        var seeded = region.TakeEmployee(minimumBalance: 10_00);
        var before = await region.GetPersonAsync(seeded);
        var request = region.SettleRequest(Typical(seeded));
        var settlement = (await region.Client.SettleAsync(request)).Settlement;

        var response = await region.Client.ReverseSettlementAsync(region.ReverseRequest(request.RequestId));

        Assert.Equal(ReversalOutcome.Reversed, response.Outcome);
        Assert.Equal(settlement.SettlementId, response.Settlement.SettlementId);
        Assert.Equal(SettlementState.Reversed, response.Settlement.State);
        Assert.NotNull(response.Settlement.UndoTime);
        Assert.Equal(before, await region.GetPersonAsync(seeded));
        Assert.Equal(response.Settlement, await GetByRequestId(request.RequestId));
    }

    [Fact]
    public async Task ReverseSettlement_NeverArrived_NothingToReverseThenSettleRefused()
    {
        var seeded = region.TakeEmployee();
        var before = await region.GetPersonAsync(seeded);
        var lost = region.SettleRequest(Typical(seeded));
        var settlementsBefore = Counter.SettlementCount;

        var response = await region.Client.ReverseSettlementAsync(region.ReverseRequest(lost.RequestId));

        Assert.Equal(ReversalOutcome.NothingToReverse, response.Outcome);
        Assert.Null(response.Settlement);
        var error = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => region.Client.SettleAsync(lost).ResponseAsync);
        Assert.StartsWith("request_id was reversed before it arrived", error.Status.Detail, StringComparison.Ordinal);
        SettlementAssert.DoesNotMention(error, seeded.CitizenId);
        Assert.Equal(before, await region.GetPersonAsync(seeded));
        Assert.Equal(settlementsBefore, Counter.SettlementCount);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => GetByRequestId(lost.RequestId));
    }

    [Fact]
    public async Task ReverseSettlement_Cancelled_AlreadyUndoneAndChangesNothing()
    {
        var seeded = region.TakeEmployee();
        var request = region.SettleRequest(Typical(seeded));
        var settlement = (await region.Client.SettleAsync(request)).Settlement;
        var cancelled = (await region.Client.CancelSettlementAsync(region.CancelRequest(settlement.SettlementId, seeded.CitizenId))).Settlement;
        var afterCancel = await region.GetPersonAsync(seeded);

        var response = await region.Client.ReverseSettlementAsync(region.ReverseRequest(request.RequestId));

        Assert.Equal(ReversalOutcome.AlreadyUndone, response.Outcome);
        Assert.Equal(cancelled, response.Settlement);
        Assert.Equal(afterCancel, await region.GetPersonAsync(seeded));
    }

    [Fact]
    public async Task ReverseSettlement_AlreadyReversedUnderAnotherRequestId_AlreadyUndone()
    {
        var seeded = region.TakeEmployee();
        var request = region.SettleRequest(Typical(seeded));
        await region.Client.SettleAsync(request);
        var first = await region.Client.ReverseSettlementAsync(region.ReverseRequest(request.RequestId));
        var afterFirst = await region.GetPersonAsync(seeded);

        var second = await region.Client.ReverseSettlementAsync(region.ReverseRequest(request.RequestId));

        Assert.Equal(ReversalOutcome.AlreadyUndone, second.Outcome);
        Assert.Equal(first.Settlement, second.Settlement);
        Assert.Equal(afterFirst, await region.GetPersonAsync(seeded));
    }

    [Fact]
    public async Task ReverseSettlement_DuplicateRequestId_ReturnsOriginalOutcomeAndRestoresOnce()
    {
        var seeded = region.TakeEmployee(minimumBalance: 10_00);
        var before = await region.GetPersonAsync(seeded);
        var request = region.SettleRequest(Typical(seeded));
        await region.Client.SettleAsync(request);
        var reverse = region.ReverseRequest(request.RequestId);
        var original = await region.Client.ReverseSettlementAsync(reverse);

        var repeat = await region.Client.ReverseSettlementAsync(reverse);

        Assert.Equal(ReversalOutcome.Reversed, repeat.Outcome);
        Assert.Equal(original, repeat);
        Assert.Equal(before, await region.GetPersonAsync(seeded));
    }

    [Fact]
    public async Task ReverseSettlement_SameRequestIdAnotherOriginal_AlreadyExists()
    {
        var reverse = region.ReverseRequest(region.NextRequestId());
        await region.Client.ReverseSettlementAsync(reverse);
        var different = reverse.Clone();
        different.OriginalRequestId = region.NextRequestId();

        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => region.Client.ReverseSettlementAsync(different).ResponseAsync);
    }

    [Fact]
    public async Task ReverseSettlement_MalformedOriginalRequestId_InvalidArgumentOnThatField()
    {
        var reverse = region.ReverseRequest("H31010100001202506010930");

        await RpcAssert.FailsWithFieldViolations(() => region.Client.ReverseSettlementAsync(reverse).ResponseAsync, "original_request_id");
    }

    private ISettlementCounter Counter => region.Region.Host.Services.GetRequiredService<ISettlementCounter>();

    private async Task<Settlement> GetByRequestId(string requestId) =>
        (await region.Client.GetSettlementAsync(new GetSettlementRequest
        {
            InsuredRegion = region.Code,
            RequestId = requestId,
            Purpose = PurposeOfUse.MedicalSettlement,
        })).Settlement;
}
