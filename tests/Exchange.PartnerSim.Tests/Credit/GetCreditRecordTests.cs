using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;
using static Exchange.PartnerSim.Tests.Credit.CreditTestData;

namespace Exchange.PartnerSim.Tests.Credit;

public sealed class GetCreditRecordTests(CreditRegionFixture fixture) : IClassFixture<CreditRegionFixture>
{
    private CreditService.CreditServiceClient Client => fixture.Client;

    [Fact]
    public async Task GetCreditRecord_SeededRecords_AreServedWithStatesFromTheirDates()
    {
        // Read-only: no test in this class changes a record.
        var seeded = fixture.Population.CreditRecords;
        for (var i = 0; i < seeded.Count; i++)
        {
            var id = $"310000-{i + 1:D7}";
            var state = CreditRegionFixture.IsPublished(seeded[i]) ? RecordState.Published : RecordState.Expired;

            var record = (await Client.GetCreditRecordAsync(Get(id))).Record;

            Assert.Equal(Expected(id, seeded[i], state), record);
        }
    }

    [Fact]
    public async Task GetCreditRecord_ThroughACountyOfTheRegion_IsServed()
    {
        var record = (await Client.GetCreditRecordAsync(Get("310000-0000001", region: "310115"))).Record;

        Assert.Equal("310000-0000001", record.RecordId);
    }

    [Fact]
    public async Task GetCreditRecord_UnknownId_IsNotFoundNamingIt()
    {
        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.GetCreditRecordAsync(Get("310000-9999999")).ResponseAsync);

        Assert.Equal("no credit record 310000-9999999 in region 310000", error.Status.Detail);
    }

    [Fact]
    public async Task GetCreditRecord_RegionNotServed_IsNotFound()
    {
        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.GetCreditRecordAsync(Get("310000-0000001", region: "330000")).ResponseAsync);

        Assert.Contains("origin_region 330000", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "310000-0000001", PurposeOfUse.CreditSupervision, "origin_region")]
    [InlineData("3100001", "310000-0000001", PurposeOfUse.CreditSupervision, "origin_region")]
    [InlineData("310000", "", PurposeOfUse.CreditSupervision, "record_id")]
    public async Task GetCreditRecord_MalformedRequest_IsInvalidArgumentNamingTheField(string region, string recordId, PurposeOfUse purpose, string field)
    {
        var request = new GetCreditRecordRequest { OriginRegion = region, RecordId = recordId, Purpose = purpose };

        await RpcAssert.FailsWithFieldViolations(() => Client.GetCreditRecordAsync(request).ResponseAsync, field);
    }
}
