using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Identifiers;
using Exchange.Domain.Privacy;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.PartnerSim.Hosting;
using Google.Protobuf;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>
/// Streams through the gateway: server streams relayed message by message (reconciliation details, archive watches)
/// and a client stream relayed to the region its first message names, each later message checked on the way.
/// </summary>
public sealed class StreamingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string HospitalCode = "H34102100003";

    [Fact]
    public async Task StreamReconciliationDetails_AfterThreeSettlements_StreamsEachSettlementInSettlementOrder()
    {
        var environment = fixture.Environment;
        var jiangsu = environment.Regions["320000"];
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital));
        var settled = new List<Settlement>();
        for (var i = 0; i < 3; i++)
        {
            var person = Seeded.ActiveEmployee(jiangsu.Population, minimumBalance: 0, skip: i);
            settled.Add((await client.SettleAsync(new SettleRequest
            {
                RequestId = SettlementMessageId.Create(HospitalCode, new DateTime(2025, 6, 2, 10, 0, 0, DateTimeKind.Unspecified), i + 1).Value,
                InsuredRegion = "320000",
                Visit = new Visit
                {
                    TreatmentRegion = "341021",
                    CitizenId = person.CitizenId,
                    Hospital = new Hospital { Code = HospitalCode, Level = HospitalLevel.Primary },
                    VisitId = $"MDT-STREAM-{i + 1}",
                    FeeItems = { new FeeItem { ItemCode = "XA01AAA001", CatalogueClass = CatalogueClass.A, Amount = new Money { Fen = (i + 1) * 100_00 } } },
                },
                Purpose = PurposeOfUse.MedicalSettlement,
            })).Settlement);
        }

        var traffic = RegionTraffic.Start(environment);
        using var call = client.StreamReconciliationDetails(new StreamReconciliationDetailsRequest
        {
            InsuredRegion = "320000",
            TreatmentRegion = "341021",
            SettlementDate = settled[0].SettlementDate,
        });
        var streamed = new List<Settlement>();
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            streamed.Add(message.Settlement);
        }

        Assert.Equal(settled, streamed);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        traffic.AssertExactly(("320000", ExchangePaths.Medical("StreamReconciliationDetails"), 1));
    }

    [Fact]
    public async Task StreamReconciliationDetails_NothingSettled_EndsWithoutAMessage()
    {
        var environment = fixture.Environment;
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital));
        var traffic = RegionTraffic.Start(environment);

        using var call = client.StreamReconciliationDetails(new StreamReconciliationDetailsRequest
        {
            InsuredRegion = "330000",
            TreatmentRegion = "341021",
            SettlementDate = "2024-01-02",
        });

        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        traffic.AssertExactly(("330000", ExchangePaths.Medical("StreamReconciliationDetails"), 1));
    }

    [Fact]
    public async Task WatchArchiveLookup_SlowSearch_RelaysEveryChangeUntilTheCertificateIsIssued()
    {
        // Searches slow enough that the watch opens long before the look-up moves on.
        await using var environment = await GatewayEnvironment.StartAsync(configureRegion: options => options with { ArchiveSearchDelay = TimeSpan.FromSeconds(1) });
        var (resident, _) = Seeded.SchoolRecord(environment.Regions["330100"].Population);
        var client = new ArchiveService.ArchiveServiceClient(environment.ChannelFor(TestParticipants.Archive));
        var lookup = (await client.SubmitArchiveLookupAsync(SubmitRequest("watch-found-1", "330100", resident.CitizenId, resident.Name))).Lookup;

        var states = await WatchAsync(client, "330100", lookup.LookupId);

        Assert.Equal([LookupState.Submitted, LookupState.Searching, LookupState.Found, LookupState.CertificateIssued], states);
    }

    [Fact]
    public async Task WatchArchiveLookup_NoMatchingRecord_EndsWithNotFound()
    {
        var environment = fixture.Environment;
        var (resident, _) = Seeded.SchoolRecord(environment.Regions["340000"].Population);
        var client = new ArchiveService.ArchiveServiceClient(environment.ChannelFor(TestParticipants.Archive));
        var lookup = (await client.SubmitArchiveLookupAsync(SubmitRequest("watch-not-found-1", "340000", resident.CitizenId, resident.Name + "某"))).Lookup;

        var states = await WatchAsync(client, "340000", lookup.LookupId);

        Assert.Equal(LookupState.NotFound, states[^1]);
        Assert.DoesNotContain(LookupState.Found, states);
        Assert.Equal(
            "the archive holds no ARCHIVE_CATEGORY_SCHOOL record matching the subject and name given",
            (await client.GetArchiveLookupAsync(new GetArchiveLookupRequest { ArchiveRegion = "340000", LookupId = lookup.LookupId })).Lookup.StateReason);
    }

    [Fact]
    public async Task CompareResidents_HashesOfPensionersAndStrangers_MatchesComeBackFromShanghaiThroughTheGateway()
    {
        var environment = fixture.Environment;
        var shanghai = environment.Regions["310000"].Population;
        var pensioners = shanghai.Pensions.Take(3).ToArray();
        var strangers = environment.Regions["341021"].Population.Pensions.Take(2).Select(p => p.CitizenId).ToArray();
        var client = new SocialSecurityCardService.SocialSecurityCardServiceClient(environment.ChannelFor(TestParticipants.SocialSecurity));
        var traffic = RegionTraffic.Start(environment);

        using var call = client.CompareResidents();
        await call.RequestStream.WriteAsync(new CompareResidentsRequest
        {
            PensionRegion = "310000",
            SubjectHashes = { Hash(pensioners[0].CitizenId), Hash(strangers[0]), Hash(pensioners[1].CitizenId) },
            Purpose = PurposeOfUse.BenefitEligibility,
        });
        await call.RequestStream.WriteAsync(new CompareResidentsRequest
        {
            SubjectHashes = { Hash(strangers[1]), Hash(pensioners[2].CitizenId), Hash(pensioners[0].CitizenId) },
        });
        await call.RequestStream.CompleteAsync();
        var answer = await call;

        Assert.Equal(5, answer.ComparedCount);
        Assert.Equal(
            pensioners.Select(p => new ResidentMatch
            {
                SubjectHash = Hash(p.CitizenId),
                BenefitStatus = p.Status,
                LastCertificationDate = Seeded.Iso(p.LastCertificationDate),
            }),
            answer.Matches);
        traffic.AssertExactly(("310000", ExchangePaths.Card("CompareResidents"), 1));
    }

    [Fact]
    public async Task CompareResidents_LaterMessageWithMalformedHash_IsInvalidArgumentNamingTheHash()
    {
        var environment = fixture.Environment;
        var pensioner = environment.Regions["310000"].Population.Pensions[0];
        var client = new SocialSecurityCardService.SocialSecurityCardServiceClient(environment.ChannelFor(TestParticipants.SocialSecurity));

        var error = await GatewayAssert.FailsWith(
            StatusCode.InvalidArgument,
            "invalid request: subject_hashes[1] is not a keyed hash: must be 64 lower-case hexadecimal characters",
            async () =>
            {
                using var call = client.CompareResidents();
                await call.RequestStream.WriteAsync(new CompareResidentsRequest
                {
                    PensionRegion = "310000",
                    SubjectHashes = { Hash(pensioner.CitizenId) },
                    Purpose = PurposeOfUse.BenefitEligibility,
                });
                await call.RequestStream.WriteAsync(new CompareResidentsRequest { SubjectHashes = { Hash(pensioner.CitizenId), pensioner.CitizenId } });
                await call.RequestStream.CompleteAsync();
                await call;
            });

        var violation = Assert.Single(GatewayAssert.BadRequestOf(error).FieldViolations);
        Assert.Equal("subject_hashes[1]", violation.Field);
        Assert.DoesNotContain(pensioner.CitizenId, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompareResidents_LaterMessageNotProtobuf_IsRefusedByTheGatewayWithInvalidArgument()
    {
        var environment = fixture.Environment;
        var pensioner = environment.Regions["310000"].Population.Pensions[0];
        var raw = Marshallers.Create(static (byte[] bytes) => bytes, static bytes => bytes);
        var method = new Method<byte[], byte[]>(MethodType.ClientStreaming, SocialSecurityCardService.Descriptor.FullName, "CompareResidents", raw, raw);
        var invoker = environment.ChannelFor(TestParticipants.SocialSecurity).CreateCallInvoker();
        var first = new CompareResidentsRequest
        {
            PensionRegion = "310000",
            SubjectHashes = { Hash(pensioner.CitizenId) },
            Purpose = PurposeOfUse.BenefitEligibility,
        };

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = invoker.AsyncClientStreamingCall(method, null, new CallOptions());
            await call.RequestStream.WriteAsync(first.ToByteArray());
            // A varint that never ends: no CompareResidentsRequest parses from it.
            await call.RequestStream.WriteAsync([0xFF, 0xFF, 0xFF]);
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violation = Assert.Single(GatewayAssert.BadRequestOf(error).FieldViolations);
        Assert.Equal("a message is not a valid exchange.socialsecurity.v1.CompareResidentsRequest", violation.Description);
        Assert.EndsWith(violation.Description, error.Status.Detail, StringComparison.Ordinal);
    }

    private static string Hash(string citizenId) => KeyedHash.ComputeHex(PartnerRegionOptions.DevelopmentComparisonKey.Span, citizenId);

    private static SubmitArchiveLookupRequest SubmitRequest(string requestId, string region, string citizenId, string name) => new()
    {
        RequestId = requestId,
        ArchiveRegion = region,
        Category = ArchiveCategory.School,
        Subject = new Subject { CitizenId = citizenId },
        SubjectName = name,
        Purpose = PurposeOfUse.SubjectRequest,
    };

    private static async Task<List<LookupState>> WatchAsync(ArchiveService.ArchiveServiceClient client, string region, string lookupId)
    {
        using var watch = client.WatchArchiveLookup(
            new WatchArchiveLookupRequest { ArchiveRegion = region, LookupId = lookupId }, deadline: DateTime.UtcNow.AddSeconds(30));
        var states = new List<LookupState>();
        await foreach (var change in watch.ResponseStream.ReadAllAsync())
        {
            Assert.Equal(lookupId, change.Lookup.LookupId);
            states.Add(change.Lookup.State);
        }

        Assert.Equal(StatusCode.OK, watch.GetStatus().StatusCode);
        return states;
    }
}
