using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.Descriptors;
using Exchange.Contracts.V1;
using Exchange.Gateway.Tests.Infrastructure;
using Client = Exchange.Contracts.Credit.V1.CreditService.CreditServiceClient;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>
/// Shared credit records through the gateway: the county's credit office asking every region at once and publishing
/// to the county's own credit system, and Shanghai's platform, which may reach only the county, asking and reading.
/// </summary>
public sealed class CreditFlowTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static readonly string ListPath = ExchangePaths.Credit("ListCreditRecords");

    [Fact]
    public async Task ListCreditRecords_CountyOfficeAsksEveryRegion_MergesTheRecordsOfTheRegionThatHoldsThem()
    {
        var environment = fixture.Environment;
        var (organisation, seeded) = Seeded.OrganisationsWithPublishedRecords(environment.Regions["320000"].Population)[0];
        var client = new Client(environment.ChannelFor(TestParticipants.CreditOffice));
        var traffic = RegionTraffic.Start(environment);

        var answer = await client.ListCreditRecordsAsync(new ListCreditRecordsRequest
        {
            Subject = new Subject { CreditCode = organisation.CreditCode },
            Purpose = PurposeOfUse.CreditSupervision,
        });

        Assert.Equal(seeded.Select(r => r.DecisionNumber).Order(StringComparer.Ordinal), answer.Records.Select(r => r.DecisionNumber).Order(StringComparer.Ordinal));
        Assert.All(answer.Records, r =>
        {
            Assert.Equal("320000", r.OriginRegion);
            Assert.Equal(organisation.CreditCode, r.Subject.CreditCode);
            Assert.Equal(organisation.Name, r.SubjectName);
            Assert.Equal(RecordState.Published, r.State);
        });
        Assert.Equal(
            GatewayEnvironment.RegionCodes.Order(StringComparer.Ordinal).Select(code => $"{code} REGION_OUTCOME_ANSWERED {(code == "320000" ? seeded.Count : 0)}"),
            answer.RegionStatuses.Select(s => $"{s.RegionCode} {Name(s.Outcome)} {s.ResultCount}"));
        traffic.AssertExactly([.. GatewayEnvironment.RegionCodes.Select(code => (code, ListPath, 1L))]);
    }

    [Fact]
    public async Task PublishCreditRecord_ToCountysOwnSystem_IsReadBackAndListedWithTheCountysRecords()
    {
        var environment = fixture.Environment;
        var (organisation, seeded) = Seeded.OrganisationsWithPublishedRecords(environment.Regions["341021"].Population)[^1];
        var client = new Client(environment.ChannelFor(TestParticipants.CreditOffice));
        var traffic = RegionTraffic.Start(environment);
        var today = Seeded.Today;

        var published = (await client.PublishCreditRecordAsync(new PublishCreditRecordRequest
        {
            RequestId = "county-credit-publish-0001",
            OriginRegion = "341021",
            Record = new CreditRecord
            {
                Subject = new Subject { CreditCode = organisation.CreditCode },
                SubjectName = organisation.Name,
                Kind = RecordKind.AdministrativePenalty,
                Authority = "歙县市场监督管理局",
                DecisionNumber = "歙市监处〔2025〕9001号",
                DecisionDate = Seeded.Iso(today.AddDays(-10)),
                Violation = "未按规定公示年度报告",
                PenaltyType = PenaltyType.Fine,
                PenaltyAmount = new Money { Fen = 5_000_00 },
                PublicationStartDate = Seeded.Iso(today.AddDays(-3)),
                PublicationEndDate = Seeded.Iso(today.AddYears(3)),
            },
            Purpose = PurposeOfUse.CreditSupervision,
        })).Record;
        Assert.StartsWith("341021-", published.RecordId, StringComparison.Ordinal);
        Assert.Equal("341021", published.OriginRegion);
        Assert.Equal(RecordState.Published, published.State);
        Assert.Equal("歙市监处〔2025〕9001号", published.DecisionNumber);

        var read = (await client.GetCreditRecordAsync(new GetCreditRecordRequest
        {
            OriginRegion = "341021",
            RecordId = published.RecordId,
            Purpose = PurposeOfUse.CreditSupervision,
        })).Record;
        Assert.Equal(published, read);

        var listed = await client.ListCreditRecordsAsync(new ListCreditRecordsRequest
        {
            Subject = new Subject { CreditCode = organisation.CreditCode },
            Purpose = PurposeOfUse.CreditSupervision,
        });
        Assert.Equal(
            seeded.Select(r => r.DecisionNumber).Append(published.DecisionNumber).Order(StringComparer.Ordinal),
            listed.Records.Select(r => r.DecisionNumber).Order(StringComparer.Ordinal));
        Assert.Contains(published, listed.Records);
        Assert.Equal(seeded.Count + 1, listed.RegionStatuses.Single(s => s.RegionCode == "341021").ResultCount);

        traffic.AssertExactly(
        [
            ("341021", ExchangePaths.Credit("PublishCreditRecord"), 1),
            ("341021", ExchangePaths.Credit("GetCreditRecord"), 1),
            .. GatewayEnvironment.RegionCodes.Select(code => (code, ListPath, 1L)),
        ]);
    }

    [Fact]
    public async Task ShanghaiPlatform_ListsAndReadsCountyRecords_OnlyTheCountyIsAskedAndEveryOtherRegionIsReportedRefused()
    {
        var environment = fixture.Environment;
        var (organisation, seeded) = Seeded.OrganisationsWithPublishedRecords(environment.Regions["341021"].Population)[0];
        var client = new Client(environment.ChannelFor(TestParticipants.ShanghaiPlatform));
        var traffic = RegionTraffic.Start(environment);

        var answer = await client.ListCreditRecordsAsync(new ListCreditRecordsRequest
        {
            Subject = new Subject { CreditCode = organisation.CreditCode },
            Purpose = PurposeOfUse.CreditSupervision,
        });
        Assert.Equal(seeded.Select(r => r.DecisionNumber).Order(StringComparer.Ordinal), answer.Records.Select(r => r.DecisionNumber).Order(StringComparer.Ordinal));
        Assert.Equal(
            GatewayEnvironment.RegionCodes.Order(StringComparer.Ordinal).Select(code => code == "341021"
                ? $"341021 REGION_OUTCOME_ANSWERED {seeded.Count} "
                : $"{code} REGION_OUTCOME_REFUSED 0 participant 'shanghai-platform' may not reach this region"),
            answer.RegionStatuses.Select(s => $"{s.RegionCode} {Name(s.Outcome)} {s.ResultCount} {s.Detail}"));

        var first = answer.Records[0];
        var read = (await client.GetCreditRecordAsync(new GetCreditRecordRequest
        {
            OriginRegion = "341021",
            RecordId = first.RecordId,
            Purpose = PurposeOfUse.CreditSupervision,
        })).Record;
        Assert.Equal(first, read);

        traffic.AssertExactly(("341021", ListPath, 1), ("341021", ExchangePaths.Credit("GetCreditRecord"), 1));
    }

    private static string Name(RegionOutcome outcome) => ProtoEnumNames.Of(outcome);
}
