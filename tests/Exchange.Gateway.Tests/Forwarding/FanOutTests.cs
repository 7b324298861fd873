using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.Descriptors;
using Exchange.Contracts.Sim.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.PartnerSim.Population;
using Google.Protobuf.WellKnownTypes;
using Client = Exchange.Contracts.Credit.V1.CreditService.CreditServiceClient;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>
/// ListCreditRecords when a region fails: the others' records still come back, and the failing region is named in
/// region_statuses with what happened to it (unavailable, timed out, refused) instead of being dropped. Each test
/// breaks a region of an environment of its own.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class FanOutTests
{
    private static readonly string ListPath = ExchangePaths.Credit("ListCreditRecords");

    [Fact]
    public async Task ListCreditRecords_OneRegionStopped_MergesTheOthersRecordsAndReportsItUnavailable()
    {
        await using var environment = await GatewayEnvironment.StartAsync();
        var client = new Client(environment.ChannelFor(TestParticipants.CreditOffice));
        var (organisation, seeded) = Seeded.OrganisationsWithPublishedRecords(environment.Regions["310000"].Population)[0];
        // The organisation also has records in three other regions, one of which will be down when it is asked about.
        var published = new Dictionary<string, int> { ["320000"] = 1, ["330000"] = 1, ["340000"] = 2 };
        foreach (var (region, count) in published)
        {
            for (var i = 0; i < count; i++)
            {
                await PublishAsync(client, region, organisation, $"{region}-fanout-{i}");
            }
        }

        await environment.Regions["320000"].StopAsync();
        var traffic = RegionTraffic.Start(environment);

        var answer = await client.ListCreditRecordsAsync(ListRequest(organisation));

        var expected = new Dictionary<string, int> { ["310000"] = seeded.Count, ["330000"] = 1, ["340000"] = 2 };
        Assert.Equal(
            expected.SelectMany(e => Enumerable.Repeat(e.Key, e.Value)).Order(StringComparer.Ordinal),
            answer.Records.Select(r => r.OriginRegion).Order(StringComparer.Ordinal));
        Assert.Equal(
            [
                $"310000 REGION_OUTCOME_ANSWERED {seeded.Count} ",
                "320000 REGION_OUTCOME_UNAVAILABLE 0 unavailable (Unavailable)",
                "330000 REGION_OUTCOME_ANSWERED 1 ",
                "330100 REGION_OUTCOME_ANSWERED 0 ",
                "340000 REGION_OUTCOME_ANSWERED 2 ",
                "341021 REGION_OUTCOME_ANSWERED 0 ",
            ],
            Lines(answer.RegionStatuses));
        traffic.AssertExactly([.. GatewayEnvironment.RegionCodes.Where(c => c != "320000").Select(c => (c, ListPath, 1L))]);
    }

    [Fact]
    public async Task ListCreditRecords_OneRegionNeverAnswers_ReportsItTimedOutAndAnswersTheRestWithinTheCallersDeadline()
    {
        // The margin is the time the gateway keeps for itself to merge and answer; a 50 ms margin leaves a test
        // host whose timers run late under load no room.
        await using var environment = await GatewayEnvironment.StartAsync(
            options => options with { Outbound = options.Outbound with { DeadlineMargin = TimeSpan.FromMilliseconds(500) } });
        var client = new Client(environment.ChannelFor(TestParticipants.CreditOffice));
        var (organisation, seeded) = Seeded.OrganisationsWithPublishedRecords(environment.Regions["330100"].Population)[0];
        environment.Regions["330000"].Faults.Set(new FaultSettings { BlackHole = true });
        var traffic = RegionTraffic.Start(environment);

        // Completing at all proves the answer came within the deadline: a late one would fail DEADLINE_EXCEEDED.
        var answer = await client.ListCreditRecordsAsync(ListRequest(organisation), deadline: DateTime.UtcNow.AddMilliseconds(1500));

        Assert.Equal(seeded.Select(r => r.DecisionNumber).Order(StringComparer.Ordinal), answer.Records.Select(r => r.DecisionNumber).Order(StringComparer.Ordinal));
        Assert.Equal(
            [
                "310000 REGION_OUTCOME_ANSWERED 0 ",
                "320000 REGION_OUTCOME_ANSWERED 0 ",
                "330000 REGION_OUTCOME_TIMED_OUT 0 no answer within the caller's deadline",
                $"330100 REGION_OUTCOME_ANSWERED {seeded.Count} ",
                "340000 REGION_OUTCOME_ANSWERED 0 ",
                "341021 REGION_OUTCOME_ANSWERED 0 ",
            ],
            Lines(answer.RegionStatuses));
        traffic.AssertExactly([.. GatewayEnvironment.RegionCodes.Select(c => (c, ListPath, 1L))]);
    }

    [Fact]
    public async Task ListCreditRecords_OneRegionRefuses_ReportsItRefusedWithThePartnersReason()
    {
        await using var environment = await GatewayEnvironment.StartAsync();
        var client = new Client(environment.ChannelFor(TestParticipants.CreditOffice));
        var (organisation, seeded) = Seeded.OrganisationsWithPublishedRecords(environment.Regions["341021"].Population)[0];
        environment.Regions["310000"].Faults.Set(new FaultSettings { Errors = { new ErrorFault { StatusCode = 7, Rate = 1 } } });
        var traffic = RegionTraffic.Start(environment);

        var answer = await client.ListCreditRecordsAsync(ListRequest(organisation));

        Assert.Equal(seeded.Count, answer.Records.Count);
        Assert.All(answer.Records, r => Assert.Equal("341021", r.OriginRegion));
        Assert.Equal(
            [
                "310000 REGION_OUTCOME_REFUSED 0 PermissionDenied: injected fault: PermissionDenied",
                "320000 REGION_OUTCOME_ANSWERED 0 ",
                "330000 REGION_OUTCOME_ANSWERED 0 ",
                "330100 REGION_OUTCOME_ANSWERED 0 ",
                "340000 REGION_OUTCOME_ANSWERED 0 ",
                $"341021 REGION_OUTCOME_ANSWERED {seeded.Count} ",
            ],
            Lines(answer.RegionStatuses));
        traffic.AssertExactly([.. GatewayEnvironment.RegionCodes.Select(c => (c, ListPath, 1L))]);
    }

    private static ListCreditRecordsRequest ListRequest(Organisation organisation) => new()
    {
        Subject = new Subject { CreditCode = organisation.CreditCode },
        Purpose = PurposeOfUse.CreditSupervision,
    };

    private static async Task PublishAsync(Client client, string region, Organisation organisation, string requestId)
    {
        var today = Seeded.Today;
        await client.PublishCreditRecordAsync(new PublishCreditRecordRequest
        {
            RequestId = requestId,
            OriginRegion = region,
            Record = new CreditRecord
            {
                Subject = new Subject { CreditCode = organisation.CreditCode },
                SubjectName = organisation.Name,
                Kind = RecordKind.SeriousDishonesty,
                Authority = $"{region} 发展和改革委员会",
                DecisionNumber = $"{requestId}号",
                DecisionDate = Seeded.Iso(today.AddDays(-5)),
                Violation = "拒不履行生效法律文书确定的义务",
                PublicationStartDate = Seeded.Iso(today.AddDays(-5)),
                PublicationEndDate = Seeded.Iso(today.AddYears(3)),
            },
            Purpose = PurposeOfUse.CreditSupervision,
        });
    }

    private static IEnumerable<string> Lines(IEnumerable<RegionStatus> statuses) =>
        statuses.Select(s => $"{s.RegionCode} {ProtoEnumNames.Of(s.Outcome)} {s.ResultCount} {s.Detail}");
}
