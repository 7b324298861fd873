using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;
using static Exchange.PartnerSim.Tests.Credit.CreditTestData;

namespace Exchange.PartnerSim.Tests.Credit;

public sealed class RepairCreditTests(CreditRegionFixture fixture) : IClassFixture<CreditRegionFixture>
{
    private static readonly DateOnly Today = CreditRegionFixture.Today;

    private CreditService.CreditServiceClient Client => fixture.Client;

    [Fact]
    public async Task RepairCredit_DuplicateRequestId_ReturnsOriginalAndChangesNothing()
    {
        var record = await PublishedRecord(201);
        var request = Repair(record.RecordId, Today.AddDays(-2));
        var original = await Client.RepairCreditAsync(request);

        var repeat = await Client.RepairCreditAsync(request.Clone());

        Assert.Equal(original, repeat);
        Assert.Equal(original.Record, (await Client.GetCreditRecordAsync(Get(record.RecordId))).Record);
    }

    [Fact]
    public async Task RepairCredit_RequestIdReusedForDifferentRepair_IsAlreadyExists()
    {
        var record = await PublishedRecord(202);
        var request = Repair(record.RecordId, Today);
        await Client.RepairCreditAsync(request);
        var changed = request.Clone();
        changed.RepairDate = Date(Today.AddDays(-1));

        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => Client.RepairCreditAsync(changed).ResponseAsync);

        Assert.Equal(Date(Today), (await Client.GetCreditRecordAsync(Get(record.RecordId))).Record.PublicationEndDate);
    }

    [Fact]
    public async Task RepairCredit_AlreadyRepaired_FailsPrecondition()
    {
        var record = await PublishedRecord(203);
        await Client.RepairCreditAsync(Repair(record.RecordId, Today));

        var error = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Client.RepairCreditAsync(Repair(record.RecordId, Today)).ResponseAsync);

        Assert.Equal($"record {record.RecordId} is RECORD_STATE_REPAIRED; only a record in its publication period (RECORD_STATE_PUBLISHED) can be repaired", error.Status.Detail);
    }

    [Fact]
    public async Task RepairCredit_ExpiredRecord_FailsPreconditionAndChangesNothing()
    {
        var (_, records) = fixture.TakeSubject(rs => rs.Any(r => r.PublicationEnd < Today));
        var (recordId, seeded) = records.First(x => x.Record.PublicationEnd < Today);

        var error = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Client.RepairCreditAsync(Repair(recordId, Today)).ResponseAsync);

        Assert.Contains("RECORD_STATE_EXPIRED", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(Expected(recordId, seeded, RecordState.Expired), (await Client.GetCreditRecordAsync(Get(recordId))).Record);
    }

    [Fact]
    public async Task RepairCredit_DateBeforePublicationStart_IsInvalidArgument()
    {
        var record = await PublishedRecord(204);

        var badRequest = await RpcAssert.FailsWithFieldViolations(
            () => Client.RepairCreditAsync(Repair(record.RecordId, Today.AddDays(-31))).ResponseAsync, "repair_date");

        Assert.Equal("must not be before the record's publication_start_date", badRequest.FieldViolations[0].Description);
        Assert.Equal(RecordState.Published, (await Client.GetCreditRecordAsync(Get(record.RecordId))).Record.State);
    }

    [Fact]
    public async Task RepairCredit_DateInTheFuture_IsInvalidArgument()
    {
        var record = await PublishedRecord(205);

        var badRequest = await RpcAssert.FailsWithFieldViolations(
            () => Client.RepairCreditAsync(Repair(record.RecordId, Today.AddDays(1))).ResponseAsync, "repair_date");

        Assert.Equal("must not be in the future", badRequest.FieldViolations[0].Description);
    }

    [Fact]
    public async Task RepairCredit_OnThePublicationStartDate_IsAccepted()
    {
        var record = await PublishedRecord(206);

        var repaired = (await Client.RepairCreditAsync(Repair(record.RecordId, Today.AddDays(-30)))).Record;

        Assert.Equal(record.PublicationStartDate, repaired.PublicationEndDate);
        Assert.Equal(RecordState.Repaired, repaired.State);
    }

    [Fact]
    public async Task RepairCredit_UnknownRecord_IsNotFoundNamingIt()
    {
        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.RepairCreditAsync(Repair("310000-9999999", Today)).ResponseAsync);

        Assert.Equal("no credit record 310000-9999999 in region 310000", error.Status.Detail);
    }

    [Fact]
    public async Task RepairCredit_RegionNotServed_IsNotFound()
    {
        var request = Repair("320000-0000001", Today);
        request.OriginRegion = "320000";

        await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.RepairCreditAsync(request).ResponseAsync);
    }

    [Theory]
    [InlineData("record_id")]
    [InlineData("repair_decision_number")]
    [InlineData("repair_date")]
    [InlineData("origin_region")]
    public async Task RepairCredit_MissingField_IsInvalidArgumentNamingIt(string field)
    {
        var request = Repair("310000-0000001", Today);
        switch (field)
        {
            case "record_id": request.RecordId = ""; break;
            case "repair_decision_number": request.RepairDecisionNumber = ""; break;
            case "repair_date": request.RepairDate = ""; break;
            default: request.OriginRegion = ""; break;
        }

        await RpcAssert.FailsWithFieldViolations(() => Client.RepairCreditAsync(request).ResponseAsync, field);
    }

    private async Task<CreditRecord> PublishedRecord(int n) =>
        (await Client.PublishCreditRecordAsync(Publish(Fine(Organisation(NewCreditCode(n)), Today.AddDays(-30))))).Record;
}
