using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Privacy;
using Exchange.Gateway.Audit;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Idempotency;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.PartnerSim.Hosting;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using MedicalClient = Exchange.Contracts.Medical.V1.CrossRegionSettlementService.CrossRegionSettlementServiceClient;

namespace Exchange.Gateway.Tests.Audit.Integration;

/// <summary>
/// Through the real gateway: every answered exchange has exactly one audit record — accepted, rejected, failed by the
/// partner's answer, replayed from the idempotency store, streamed either way — and a fan-out one more per region
/// asked, linked to it; each holds the facts of the exchange and no personal data; the chain verifies.
/// </summary>
public sealed class AuditedExchangeTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayEnvironment Environment => fixture.Environment;

    [Fact]
    public async Task AcceptedUnaryExchange_HasOneRecordWithItsFactsDurableBeforeTheAnswer()
    {
        var shanghai = Environment.Regions["310000"];
        var person = Seeded.ActiveEmployee(shanghai.Population, minimumBalance: 0);
        var request = new GetInsuredPersonRequest { InsuredRegion = "310000", CitizenId = person.CitizenId, Purpose = PurposeOfUse.MedicalSettlement };
        var (headers, traceId) = AuditProbe.NewTrace();
        var before = DateTimeOffset.UtcNow.AddMilliseconds(-1);

        var answer = await new MedicalClient(Environment.ChannelFor(TestParticipants.Hospital)).GetInsuredPersonAsync(request, headers);

        // Read right after the answer: the record was durable before it left.
        var record = await AuditProbe.SingleRecordOfTraceAsync(Environment, traceId);
        var entry = record.Entry;
        Assert.Equal(Environment.Gateway.Options.NodeId, record.Node);
        Assert.Equal(traceId, entry.TraceId);
        Assert.Null(entry.ParentExchangeId);
        Assert.Matches("^[0-9a-f]{32}$", entry.ExchangeId);
        Assert.Equal(TestParticipants.Hospital, entry.Caller);
        Assert.Equal("310000", entry.TargetRegion);
        Assert.Equal(shanghai.Address.ToString(), entry.TargetEndpoint);
        Assert.Equal(CrossRegionSettlementService.Descriptor.FullName, entry.Service);
        Assert.Equal("GetInsuredPerson", entry.Method);
        Assert.Equal("PURPOSE_OF_USE_MEDICAL_SETTLEMENT", entry.Purpose);
        Assert.Equal([AuditProbe.Hasher(Environment).Hash(person.CitizenId).Hex], Hexes(entry));
        Assert.Equal(MessageDigest.Of(request.ToByteArray()), entry.Request);
        Assert.Equal(MessageDigest.Of(answer.ToByteArray()), entry.Response);
        Assert.Equal(StatusCode.OK, entry.Status);
        Assert.Equal(AuditOutcome.Accepted, entry.Outcome);
        Assert.Equal(1, entry.Attempts);
        Assert.InRange(entry.ReceivedAt, before, DateTimeOffset.UtcNow);
        Assert.NotNull(entry.ForwardedAt);
        Assert.InRange(entry.ForwardedAt.Value, entry.ReceivedAt, entry.AnsweredAt);
    }

    [Fact]
    public async Task PartnersRefusal_IsRelayedAndRecordedAsAcceptedWithItsStatus()
    {
        var stranger = Environment.Regions["341021"].Population.Insurance[0].CitizenId; // insured in the county, not in Shanghai
        var (headers, traceId) = AuditProbe.NewTrace();

        var e = await Assert.ThrowsAsync<RpcException>(async () => await new MedicalClient(Environment.ChannelFor(TestParticipants.Hospital))
            .GetInsuredPersonAsync(new GetInsuredPersonRequest { InsuredRegion = "310000", CitizenId = stranger, Purpose = PurposeOfUse.MedicalSettlement }, headers));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        var entry = (await AuditProbe.SingleRecordOfTraceAsync(Environment, traceId)).Entry;
        Assert.Equal(StatusCode.NotFound, entry.Status);
        Assert.Equal(AuditOutcome.Accepted, entry.Outcome);
        Assert.Equal(1, entry.Attempts);
        Assert.Null(entry.Response);
        Assert.NotNull(entry.TargetEndpoint);
    }

    [Fact]
    public async Task RefusedExchanges_EachHaveOneRejectedRecord_NothingForwarded()
    {
        var person = Seeded.ActiveEmployee(Environment.Regions["320000"].Population, minimumBalance: 0);
        var traffic = RegionTraffic.Start(Environment);

        // The method is not in the museum's policy: PERMISSION_DENIED, and the caller is named.
        var denied = await RefusedAsync(TestParticipants.Museum, new GetInsuredPersonRequest { InsuredRegion = "320000", CitizenId = person.CitizenId, Purpose = PurposeOfUse.MedicalSettlement });
        Assert.Equal((StatusCode.PermissionDenied, TestParticipants.Museum), (denied.Status, denied.Caller));

        // A malformed citizen ID: INVALID_ARGUMENT; the (malformed) identifier is still only a hash.
        var invalid = await RefusedAsync(TestParticipants.Hospital, new GetInsuredPersonRequest { InsuredRegion = "320000", CitizenId = "110101199003070000", Purpose = PurposeOfUse.MedicalSettlement });
        Assert.Equal((StatusCode.InvalidArgument, TestParticipants.Hospital), (invalid.Status, invalid.Caller));
        Assert.Equal([AuditProbe.Hasher(Environment).Hash("110101199003070000").Hex], Hexes(invalid));

        // A region outside the clinic's targets: PERMISSION_DENIED, the target recorded.
        var target = await RefusedAsync(TestParticipants.ShanghaiOnlyClinic, new GetInsuredPersonRequest { InsuredRegion = "320000", CitizenId = person.CitizenId, Purpose = PurposeOfUse.MedicalSettlement });
        Assert.Equal((StatusCode.PermissionDenied, "320000"), (target.Status, target.TargetRegion));

        // No purpose stated where personal data is touched.
        var purpose = await RefusedAsync(TestParticipants.Hospital, new GetInsuredPersonRequest { InsuredRegion = "320000", CitizenId = person.CitizenId });
        Assert.Equal((StatusCode.PermissionDenied, "PURPOSE_OF_USE_UNSPECIFIED"), (purpose.Status, purpose.Purpose));

        // No client certificate: UNAUTHENTICATED, recorded without a participant.
        var (headers, traceId) = AuditProbe.NewTrace();
        var e = await Assert.ThrowsAsync<RpcException>(async () => await new MedicalClient(Environment.ChannelWithoutCertificate())
            .GetInsuredPersonAsync(new GetInsuredPersonRequest { InsuredRegion = "320000", CitizenId = person.CitizenId, Purpose = PurposeOfUse.MedicalSettlement }, headers));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        var anonymous = (await AuditProbe.SingleRecordOfTraceAsync(Environment, traceId)).Entry;
        Assert.Equal(("unauthenticated", AuditOutcome.Rejected, StatusCode.Unauthenticated), (anonymous.Caller, anonymous.Outcome, anonymous.Status));

        foreach (var entry in new[] { denied, invalid, target, purpose, anonymous })
        {
            Assert.Equal(AuditOutcome.Rejected, entry.Outcome);
            Assert.Equal(0, entry.Attempts);
            Assert.Null(entry.ForwardedAt);
            Assert.Null(entry.TargetEndpoint);
            Assert.Null(entry.Response);
            Assert.NotNull(entry.Request);
        }

        traffic.AssertNothing();
    }

    [Fact]
    public async Task DuplicateSettlement_IsRecordedAsReplayed_WithTheSameAnswer()
    {
        var person = Seeded.ActiveEmployee(Environment.Regions["330000"].Population, minimumBalance: 0, skip: 3);
        var bill = Settlements.Bill(Settlements.NewRequestId(), "330000", person.CitizenId).ToByteArray();
        var channel = Environment.ChannelFor(TestParticipants.Hospital);
        var (first, firstTrace) = AuditProbe.NewTrace();
        var (second, secondTrace) = AuditProbe.NewTrace();
        var raw = Marshallers.Create(static (byte[] b) => b, static b => b);
        var settle = new Method<byte[], byte[]>(MethodType.Unary, CrossRegionSettlementService.Descriptor.FullName, "Settle", raw, raw);

        var answer = await channel.CreateCallInvoker().AsyncUnaryCall(settle, null, new CallOptions(first), bill);
        var replayed = await channel.CreateCallInvoker().AsyncUnaryCall(settle, null, new CallOptions(second), bill);

        Assert.Equal(answer, replayed);
        var forwarded = (await AuditProbe.SingleRecordOfTraceAsync(Environment, firstTrace)).Entry;
        var duplicate = (await AuditProbe.SingleRecordOfTraceAsync(Environment, secondTrace)).Entry;
        Assert.Equal((AuditOutcome.Accepted, 1), (forwarded.Outcome, forwarded.Attempts));
        Assert.Equal((AuditOutcome.Replayed, 0, StatusCode.OK), (duplicate.Outcome, duplicate.Attempts, duplicate.Status));
        Assert.Null(duplicate.ForwardedAt);
        Assert.Equal(forwarded.Request, duplicate.Request);
        Assert.Equal(MessageDigest.Of(answer), duplicate.Response);
        Assert.Equal(forwarded.Response, duplicate.Response);
        Assert.NotEqual(forwarded.ExchangeId, duplicate.ExchangeId);
    }

    [Fact]
    public async Task FanOut_HasOneRecordAndOneLinkedRecordPerRegionAsked()
    {
        var (organisation, _) = Seeded.OrganisationsWithPublishedRecords(Environment.Regions["320000"].Population)[0];
        var (headers, traceId) = AuditProbe.NewTrace();

        var answer = await new CreditService.CreditServiceClient(Environment.ChannelFor(TestParticipants.ShanghaiOnlyClinic)).ListCreditRecordsAsync(
            new ListCreditRecordsRequest { Subject = new Subject { CreditCode = organisation.CreditCode }, Purpose = PurposeOfUse.CreditSupervision }, headers);

        var records = await AuditProbe.RecordsOfTraceAsync(Environment, traceId);
        var parent = Assert.Single(records, r => r.Entry.ParentExchangeId is null).Entry;
        var legs = records.Where(r => r.Entry.ParentExchangeId is not null).Select(r => r.Entry).ToArray();
        Assert.Equal(GatewayEnvironment.RegionCodes.Length + 1, records.Count);
        Assert.Equal(GatewayEnvironment.RegionCodes.Order(StringComparer.Ordinal), legs.Select(l => l.TargetRegion!).Order(StringComparer.Ordinal));
        Assert.All(legs, leg =>
        {
            Assert.Equal(parent.ExchangeId, leg.ParentExchangeId);
            Assert.Equal(Hexes(parent), Hexes(leg));
            Assert.Equal(parent.Request, leg.Request);
            Assert.Equal(TestParticipants.ShanghaiOnlyClinic, leg.Caller);
        });

        // The clinic may reach Shanghai only: that leg was answered, every other refused before anything was sent.
        var shanghai = Assert.Single(legs, l => l.TargetRegion == "310000");
        Assert.Equal((StatusCode.OK, AuditOutcome.Accepted, 1), (shanghai.Status, shanghai.Outcome, shanghai.Attempts));
        Assert.Equal(Environment.Regions["310000"].Address.ToString(), shanghai.TargetEndpoint);
        Assert.NotNull(shanghai.Response);
        Assert.All(legs.Where(l => l.TargetRegion != "310000"), refused =>
            Assert.Equal((StatusCode.PermissionDenied, AuditOutcome.Rejected, 0), (refused.Status, refused.Outcome, refused.Attempts)));

        Assert.Equal([AuditProbe.Hasher(Environment).Hash(organisation.CreditCode).Hex], Hexes(parent));
        Assert.Equal((StatusCode.OK, AuditOutcome.Accepted, 1), (parent.Status, parent.Outcome, parent.Attempts));
        Assert.Null(parent.TargetRegion);
        Assert.Equal(MessageDigest.Of(answer.ToByteArray()), parent.Response);
        Assert.Equal(shanghai.ForwardedAt, parent.ForwardedAt);
    }

    [Fact]
    public async Task ServerStream_HasOneRecordDigestingEveryMessageSent()
    {
        var (resident, _) = Seeded.SchoolRecord(Environment.Regions["330100"].Population, skip: 1);
        var client = new ArchiveService.ArchiveServiceClient(Environment.ChannelFor(TestParticipants.Archive));
        var lookup = (await client.SubmitArchiveLookupAsync(new SubmitArchiveLookupRequest
        {
            RequestId = "audit-watch-0001",
            ArchiveRegion = "330100",
            Category = ArchiveCategory.School,
            Subject = new Subject { CitizenId = resident.CitizenId },
            SubjectName = resident.Name,
            Purpose = PurposeOfUse.SubjectRequest,
        })).Lookup;
        var (headers, traceId) = AuditProbe.NewTrace();

        using var watch = client.WatchArchiveLookup(new WatchArchiveLookupRequest { ArchiveRegion = "330100", LookupId = lookup.LookupId }, headers, DateTime.UtcNow.AddSeconds(30));
        var sent = new List<byte[]>();
        await foreach (var change in watch.ResponseStream.ReadAllAsync())
        {
            sent.Add(change.ToByteArray());
        }

        var entry = (await AuditProbe.SingleRecordOfTraceAsync(Environment, traceId)).Entry;
        using var expected = new MessageDigestBuilder();
        sent.ForEach(m => expected.Append(m));
        Assert.NotEmpty(sent);
        Assert.Equal(expected.Current(), entry.Response);
        Assert.Equal(sent.Count, entry.Response!.Value.Messages);
        Assert.Equal((StatusCode.OK, AuditOutcome.Accepted, "330100"), (entry.Status, entry.Outcome, entry.TargetRegion));
    }

    [Fact]
    public async Task ClientStream_HasOneRecordDigestingEveryMessageReceived()
    {
        var pensioners = Environment.Regions["310000"].Population.Pensions.Take(2).ToArray();
        var first = new CompareResidentsRequest { PensionRegion = "310000", SubjectHashes = { Hash(pensioners[0].CitizenId) }, Purpose = PurposeOfUse.BenefitEligibility };
        var second = new CompareResidentsRequest { SubjectHashes = { Hash(pensioners[1].CitizenId) } };
        var (headers, traceId) = AuditProbe.NewTrace();

        using var call = new SocialSecurityCardService.SocialSecurityCardServiceClient(Environment.ChannelFor(TestParticipants.SocialSecurity)).CompareResidents(headers);
        await call.RequestStream.WriteAsync(first);
        await call.RequestStream.WriteAsync(second);
        await call.RequestStream.CompleteAsync();
        var answer = await call;

        var entry = (await AuditProbe.SingleRecordOfTraceAsync(Environment, traceId)).Entry;
        using var expected = new MessageDigestBuilder();
        expected.Append(first.ToByteArray());
        expected.Append(second.ToByteArray());
        Assert.Equal(expected.Current(), entry.Request);
        Assert.Equal(2, entry.Request!.Value.Messages);
        Assert.Equal(MessageDigest.Of(answer.ToByteArray()), entry.Response);
        Assert.Equal(("PURPOSE_OF_USE_BENEFIT_ELIGIBILITY", AuditOutcome.Accepted), (entry.Purpose, entry.Outcome));
        Assert.Empty(entry.SubjectHashes); // the regions' own comparison hashes are not data-subject identifiers
    }

    [Fact]
    public async Task Trail_NeverHoldsACitizenIdNameOrAmountInClear_AndVerifies()
    {
        var jiangsu = Environment.Regions["320000"].Population;
        var person = Seeded.ActiveEmployee(jiangsu, minimumBalance: 0, skip: 5);
        var name = jiangsu.ResidentsById[person.CitizenId].Name;
        const long Amount = 4_321_987;
        var client = new MedicalClient(Environment.ChannelFor(TestParticipants.Hospital));
        var bill = Settlements.Bill(Settlements.NewRequestId(), "320000", person.CitizenId, classAFen: Amount);
        var settlement = (await client.SettleAsync(bill)).Settlement;
        await client.PreSettleAsync(new PreSettleRequest { InsuredRegion = "320000", Visit = bill.Visit, Purpose = PurposeOfUse.MedicalSettlement });
        var person2 = (await client.GetInsuredPersonAsync(new GetInsuredPersonRequest { InsuredRegion = "320000", CitizenId = person.CitizenId, Purpose = PurposeOfUse.MedicalSettlement })).Person;
        var (resident, _) = Seeded.SchoolRecord(Environment.Regions["340000"].Population, skip: 2);
        await new ArchiveService.ArchiveServiceClient(Environment.ChannelFor(TestParticipants.Archive)).SubmitArchiveLookupAsync(new SubmitArchiveLookupRequest
        {
            RequestId = "audit-no-pii-0001",
            ArchiveRegion = "340000",
            Category = ArchiveCategory.School,
            Subject = new Subject { CitizenId = resident.CitizenId },
            SubjectName = resident.Name,
            Purpose = PurposeOfUse.SubjectRequest,
        });

        var dump = await AuditProbe.DumpSqliteAsync(Environment.Gateway.Options.Audit.SqlitePath!);

        Assert.Contains(AuditProbe.Hasher(Environment).Hash(person.CitizenId).Hex, dump, StringComparison.Ordinal);
        foreach (var secret in new[] { person.CitizenId, resident.CitizenId, name, resident.Name, person2.PersonNumber, settlement.SettlementId, Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), settlement.Amounts.FundPayment.Fen.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
        }

        var report = await AuditProbe.VerifyAsync(Environment);
        Assert.True(report.IsValid, string.Join("; ", report.Problems));
    }

    [Fact]
    public void Trail_IsAHostedServiceStartedBeforeTheServerListens()
    {
        var hosted = Environment.Gateway.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Select(s => s.GetType().Name).ToList();

        // Hosted services start one after another in this order; the server is the web host's own hosted service.
        Assert.Contains("AuditTrailService", hosted);
        Assert.True(hosted.IndexOf("AuditTrailService") < hosted.IndexOf("GenericWebHostService"), string.Join(", ", hosted));
        Assert.Equal(AuditHealthStatus.Healthy, Environment.Gateway.Services.GetRequiredService<AuditTrail>().Health.Current.Status);
    }

    [Fact]
    public async Task Start_WithAnUnusableCheckpointKey_IsAConfigurationErrorNamingTheSetting()
    {
        var key = Path.Combine(Environment.StateDirectory, "not-a-key.pem");
        await File.WriteAllTextAsync(key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        var e = await Assert.ThrowsAsync<Gateway.Configuration.GatewayConfigurationException>(() => Gateway.Hosting.GatewayHost.StartAsync(
            Environment.Gateway.Options with { NodeId = "gateway-bad-key", Audit = Environment.Gateway.Options.Audit with { CheckpointKeyPath = key } }));

        Assert.StartsWith($"Audit.CheckpointKeyPath: '{key}' holds no usable ECDSA P-256 private key", Assert.Single(e.Errors), StringComparison.Ordinal);
    }

    private static string[] Hexes(AuditEntry entry) => [.. entry.SubjectHashes.Select(h => h.Hex)];

    private static string Hash(string citizenId) => KeyedHash.ComputeHex(PartnerRegionOptions.DevelopmentComparisonKey.Span, citizenId);

    private async Task<AuditEntry> RefusedAsync(string participant, GetInsuredPersonRequest request)
    {
        var (headers, traceId) = AuditProbe.NewTrace();
        var e = await Assert.ThrowsAsync<RpcException>(async () => await new MedicalClient(Environment.ChannelFor(participant)).GetInsuredPersonAsync(request, headers));
        var entry = (await AuditProbe.SingleRecordOfTraceAsync(Environment, traceId)).Entry;
        Assert.Equal(e.StatusCode, entry.Status);
        Assert.Equal(MessageDigest.Of(request.ToByteArray()), entry.Request);
        return entry;
    }
}
