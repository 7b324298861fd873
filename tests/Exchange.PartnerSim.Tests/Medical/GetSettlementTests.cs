using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;
using static Exchange.PartnerSim.Tests.Medical.Bills;

namespace Exchange.PartnerSim.Tests.Medical;

public sealed class GetSettlementTests(MedicalRegion region) : IClassFixture<MedicalRegion>
{
    [Fact]
    public async Task GetSettlement_BySettlementId_ReturnsTheSettlement()
    {
        var settlement = await region.SettleAsync(Typical(region.TakeEmployee()));

        var found = await Get(new GetSettlementRequest { SettlementId = settlement.SettlementId });

        Assert.Equal(settlement, found);
    }

    [Fact]
    public async Task GetSettlement_ByRequestId_ReturnsTheSettlementThatRequestMade()
    {
        var request = region.SettleRequest(Typical(region.TakeEmployee()));
        var settlement = (await region.Client.SettleAsync(request)).Settlement;

        var found = await Get(new GetSettlementRequest { RequestId = request.RequestId });

        Assert.Equal(settlement, found);
    }

    [Fact]
    public async Task GetSettlement_UnknownSettlementId_NotFound()
    {
        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Get(new GetSettlementRequest { SettlementId = $"{region.Code}S0000000000" }));

        Assert.Equal($"no settlement with that settlement_id in region {region.Code}", error.Status.Detail);
    }

    [Fact]
    public async Task GetSettlement_UnknownRequestId_NotFound()
    {
        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Get(new GetSettlementRequest { RequestId = region.NextRequestId() }));

        Assert.StartsWith($"no settlement with that request_id in region {region.Code}", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSettlement_NoKey_InvalidArgumentOnKey()
    {
        var badRequest = await RpcAssert.FailsWithFieldViolations(() => Get(new GetSettlementRequest()), "key");

        Assert.Equal("one of settlement_id or request_id must be set", badRequest.FieldViolations[0].Description);
    }

    [Fact]
    public async Task GetSettlement_MalformedRequestId_InvalidArgumentOnRequestId() =>
        await RpcAssert.FailsWithFieldViolations(() => Get(new GetSettlementRequest { RequestId = "not-a-msgid" }), "request_id");

    [Fact]
    public async Task GetSettlement_RegionNotServed_NotFound()
    {
        var settlement = await region.SettleAsync(Typical(region.TakeEmployee()));

        await RpcAssert.FailsWith(StatusCode.NotFound, () => Get(new GetSettlementRequest { SettlementId = settlement.SettlementId }, insuredRegion: "341021"));
    }

    private async Task<Settlement> Get(GetSettlementRequest request, string? insuredRegion = null)
    {
        request.InsuredRegion = insuredRegion ?? region.Code;
        request.Purpose = PurposeOfUse.MedicalSettlement;
        return (await region.Client.GetSettlementAsync(request)).Settlement;
    }
}
