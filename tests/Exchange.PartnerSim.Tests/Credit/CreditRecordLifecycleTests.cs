using Exchange.Contracts.Credit.V1;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Time.Testing;
using static Exchange.PartnerSim.Tests.Credit.CreditTestData;

namespace Exchange.PartnerSim.Tests.Credit;

public sealed class CreditRecordLifecycleTests(CreditRegionFixture fixture) : IClassFixture<CreditRegionFixture>
{
    private static readonly DateOnly Today = CreditRegionFixture.Today;

    private CreditService.CreditServiceClient Client => fixture.Client;

    [Fact]
    public async Task PublishGetListRepairList_RecordLeavesThePublishedListOnceRepaired()
    {
        var subject = Organisation(NewCreditCode(1));
        var record = Fine(subject, Today.AddDays(-40));

        var published = (await Client.PublishCreditRecordAsync(Publish(record))).Record;

        Assert.Matches("^310000-[0-9]{7}$", published.RecordId);
        Assert.Equal(RecordState.Published, published.State);
        Assert.Equal("310000", published.OriginRegion);
        Assert.Equal(Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 6, 15, 4, 0, 0, TimeSpan.Zero)), published.UpdateTime);
        var expected = record.Clone();
        expected.RecordId = published.RecordId;
        expected.OriginRegion = "310000";
        expected.State = RecordState.Published;
        expected.UpdateTime = published.UpdateTime;
        Assert.Equal(expected, published);

        Assert.Equal(published, (await Client.GetCreditRecordAsync(Get(published.RecordId))).Record);
        Assert.Equal([published], (await Client.ListCreditRecordsAsync(List(subject))).Records);

        var repaired = (await Client.RepairCreditAsync(Repair(published.RecordId, Today.AddDays(-1)))).Record;

        Assert.Equal(RecordState.Repaired, repaired.State);
        Assert.Equal(Date(Today.AddDays(-1)), repaired.PublicationEndDate);
        Assert.Equal(published.PublicationStartDate, repaired.PublicationStartDate);
        Assert.Empty((await Client.ListCreditRecordsAsync(List(subject))).Records);
        Assert.Equal([repaired], (await Client.ListCreditRecordsAsync(List(subject, includeUnpublished: true))).Records);
        Assert.Equal(repaired, (await Client.GetCreditRecordAsync(Get(published.RecordId))).Record);
    }

    [Fact]
    public async Task RepairCredit_SeededPenalty_LeavesTheSubjectsOtherRecordsListed()
    {
        var (code, records) = fixture.TakeSubject(rs => rs.Count(CreditRegionFixture.IsPublished) == 2);
        var (repairedId, _) = records.First(x => CreditRegionFixture.IsPublished(x.Record));
        var (otherId, _) = records.Last(x => CreditRegionFixture.IsPublished(x.Record));

        var repaired = (await Client.RepairCreditAsync(Repair(repairedId, Today))).Record;

        Assert.Equal(RecordState.Repaired, repaired.State);
        Assert.Equal(Date(Today), repaired.PublicationEndDate);
        Assert.Equal([otherId], (await Client.ListCreditRecordsAsync(List(Organisation(code)))).Records.Select(r => r.RecordId));
    }

    [Fact]
    public async Task PublishCreditRecord_NaturalPerson_IsListedUnderTheirCitizenId()
    {
        var person = fixture.Population.Residents[^1];
        var subject = new Exchange.Contracts.V1.Subject { CitizenId = person.CitizenId };
        var record = Fine(subject, Today.AddDays(-2));
        record.SubjectName = person.Name;

        var published = (await Client.PublishCreditRecordAsync(Publish(record))).Record;

        Assert.Equal([published], (await Client.ListCreditRecordsAsync(List(subject))).Records);
    }

    [Fact]
    public async Task RecordState_FollowsThePublicationPeriodAsDaysPass()
    {
        // Its own region: the clock moves.
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 15, 4, 0, 0, TimeSpan.Zero));
        await using var region = await SimulatedRegion.StartAsync(new PartnerRegionOptions { RegionCode = "310000", TimeProvider = time });
        var client = new CreditService.CreditServiceClient(region.Channel);
        var subject = Organisation(NewCreditCode(2));
        var record = Fine(subject, Today.AddDays(-1));
        record.PublicationStartDate = Date(Today.AddDays(10));
        record.PublicationEndDate = Date(Today.AddDays(20));

        var published = (await client.PublishCreditRecordAsync(Publish(record))).Record;

        // Not yet in its publication period: no contract state fits, so none is reported, and it is not listed.
        Assert.Equal(RecordState.Pending, published.State);
        Assert.Empty((await client.ListCreditRecordsAsync(List(subject))).Records);
        Assert.Equal(RecordState.Pending, (await client.ListCreditRecordsAsync(List(subject, includeUnpublished: true))).Records.Single().State);
        await RpcAssert.FailsWith(Grpc.Core.StatusCode.FailedPrecondition, () => client.RepairCreditAsync(Repair(published.RecordId, Today)).ResponseAsync);

        time.Advance(TimeSpan.FromDays(10));
        Assert.Equal(RecordState.Published, (await client.ListCreditRecordsAsync(List(subject))).Records.Single().State);

        time.Advance(TimeSpan.FromDays(10));
        Assert.Equal(RecordState.Published, (await client.GetCreditRecordAsync(Get(published.RecordId))).Record.State);

        time.Advance(TimeSpan.FromDays(1));
        Assert.Empty((await client.ListCreditRecordsAsync(List(subject))).Records);
        Assert.Equal(RecordState.Expired, (await client.GetCreditRecordAsync(Get(published.RecordId))).Record.State);
    }
}
