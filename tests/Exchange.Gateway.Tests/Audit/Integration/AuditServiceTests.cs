using Exchange.Contracts.Audit.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Audit;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Infrastructure;
using Grpc.Core;
using AuditOutcome = Exchange.Gateway.Audit.AuditOutcome;
using MedicalClient = Exchange.Contracts.Medical.V1.CrossRegionSettlementService.CrossRegionSettlementServiceClient;

namespace Exchange.Gateway.Tests.Audit.Integration;

/// <summary>A gateway whose participants include the sandbox's auditor.</summary>
public sealed class AuditorGatewayFixture : IAsyncLifetime
{
    private GatewayEnvironment? _environment;

    /// <summary>The environment.</summary>
    public GatewayEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        _environment = await GatewayEnvironment.StartAsync(options => options with { Participants = [.. options.Participants, TestParticipants.AuditorOptions()] });

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
    }
}

/// <summary>
/// The auditor's API on the real gateway: search by person (the raw identifier, hashed by the gateway), by trace,
/// status and method, paged; export as a stream of records that re-hash to their stored hashes; auditors only, and
/// every search itself audited.
/// </summary>
public sealed class AuditServiceTests(AuditorGatewayFixture fixture) : IClassFixture<AuditorGatewayFixture>
{
    private static readonly string Medical = CrossRegionSettlementService.Descriptor.FullName;

    private GatewayEnvironment Environment => fixture.Environment;

    private AuditService.AuditServiceClient Auditor => new(Environment.ChannelFor(TestParticipants.Auditor));

    [Fact]
    public async Task QueryBySubject_RawCitizenIdIsHashedByTheGateway_FindsEveryExchangeAboutThatPersonOnly()
    {
        var (person, other) = (Person(0), Person(1));
        await LookUpAsync(person);
        await LookUpAsync(other);
        await LookUpAsync(person);

        var answer = await Auditor.QueryAuditRecordsAsync(Query(new AuditFilter { Subject = new Subject { CitizenId = person } }));

        var hash = AuditProbe.Hasher(Environment).Hash(person).Hex;
        Assert.Equal(2, answer.Records.Count);
        Assert.All(answer.Records, r =>
        {
            Assert.Equal([hash], r.SubjectHashes);
            Assert.Equal(("GetInsuredPerson", TestParticipants.Hospital, "OK"), (r.Method, r.Caller, r.Status));
        });
        Assert.Empty(answer.NextPageToken);

        // The search is itself in the trail: who looked whom up (as the same keyed hash), and why.
        var searches = await Auditor.QueryAuditRecordsAsync(Query(new AuditFilter { Caller = TestParticipants.Auditor, Service = AuditService.Descriptor.FullName }));
        var search = Assert.Single(searches.Records, r => r.SubjectHashes.Contains(hash));
        Assert.Equal(("QueryAuditRecords", "PURPOSE_OF_USE_AUDIT", Exchange.Contracts.Audit.V1.AuditOutcome.Accepted), (search.Method, search.Purpose, search.Outcome));
        Assert.DoesNotContain(person, search.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryByTraceId_FindsTheExchangeOfThatTrace()
    {
        var (headers, traceId) = AuditProbe.NewTrace();
        await LookUpAsync(Person(2), headers);

        var answer = await Auditor.QueryAuditRecordsAsync(Query(new AuditFilter { TraceId = traceId }));

        var record = Assert.Single(answer.Records);
        var stored = await AuditProbe.SingleRecordOfTraceAsync(Environment, traceId);
        Assert.Equal(AuditRecordMessages.ToMessage(stored), record);
        Assert.Equal(stored.Hash, AuditCanonicalEncoding.ComputeHash(AuditRecordMessages.ToRecord(record)));
    }

    [Fact]
    public async Task QueryByStatusAndMethod_FindsTheRefusals()
    {
        var (headers, traceId) = AuditProbe.NewTrace();
        await Assert.ThrowsAsync<RpcException>(async () => await new MedicalClient(Environment.ChannelFor(TestParticipants.Museum))
            .GetInsuredPersonAsync(new GetInsuredPersonRequest { InsuredRegion = "310000", CitizenId = Person(3), Purpose = PurposeOfUse.MedicalSettlement }, headers));

        var answer = await Auditor.QueryAuditRecordsAsync(Query(new AuditFilter
        {
            Service = Medical,
            Method = "GetInsuredPerson",
            Status = "PERMISSION_DENIED",
            Caller = TestParticipants.Museum,
        }));

        var record = Assert.Single(answer.Records, r => r.TraceId == traceId);
        Assert.Equal((7, Exchange.Contracts.Audit.V1.AuditOutcome.Rejected, 0), (record.StatusCode, record.Outcome, record.Attempts));
        Assert.All(answer.Records, r => Assert.Equal(("PERMISSION_DENIED", TestParticipants.Museum), (r.Status, r.Caller)));
    }

    [Fact]
    public async Task Paging_WalksEveryRecordOnceInChainOrder_AndATokenServesOnlyItsFilter()
    {
        var person = Person(4);
        for (var i = 0; i < 5; i++)
        {
            await LookUpAsync(person);
        }

        var filter = new AuditFilter { Subject = new Subject { CitizenId = person }, Service = Medical };
        var pages = new List<QueryAuditRecordsResponse>();
        var token = "";
        do
        {
            var page = await Auditor.QueryAuditRecordsAsync(Query(filter, pageSize: 2, token));
            pages.Add(page);
            token = page.NextPageToken;
        }
        while (token.Length > 0 && pages.Count < 10);

        Assert.Equal([2, 2, 1], pages.Select(p => p.Records.Count));
        var sequences = pages.SelectMany(p => p.Records).Select(r => r.Sequence).ToArray();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(5, sequences.Distinct().Count());

        var other = new AuditFilter { Subject = new Subject { CitizenId = Person(5) } };
        var e = await Assert.ThrowsAsync<RpcException>(async () => await Auditor.QueryAuditRecordsAsync(Query(other, pageSize: 2, pages[0].NextPageToken)));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("page_token", Assert.Single(GatewayAssert.BadRequestOf(e).FieldViolations).Field);
    }

    [Fact]
    public async Task Export_StreamsEveryMatchingRecord_EachReHashingToItsStoredHash()
    {
        var person = Person(6);
        await LookUpAsync(person);
        await LookUpAsync(person);
        var filter = new AuditFilter { Subject = new Subject { CitizenId = person }, Service = Medical };

        using var export = Auditor.ExportAuditRecords(new ExportAuditRecordsRequest { Filter = filter, Purpose = PurposeOfUse.Audit });
        var exported = new List<Exchange.Contracts.Audit.V1.AuditRecord>();
        await foreach (var message in export.ResponseStream.ReadAllAsync())
        {
            exported.Add(message.Record);
        }

        Assert.Equal((await Auditor.QueryAuditRecordsAsync(Query(filter))).Records, exported);
        Assert.Equal(2, exported.Count);
        Assert.All(exported, r => Assert.Equal(AuditHash.Parse(r.Hash), AuditCanonicalEncoding.ComputeHash(AuditRecordMessages.ToRecord(r))));
    }

    [Fact]
    public async Task NonAuditors_AreDenied_EvenWithTheMethodInTheirPolicy_AndTheAttemptIsAudited()
    {
        // Shanghai's platform may call every method ("*"), but it is not an auditor.
        var (headers, traceId) = AuditProbe.NewTrace();
        var partner = await Assert.ThrowsAsync<RpcException>(async () => await new AuditService.AuditServiceClient(Environment.ChannelFor(TestParticipants.ShanghaiPlatform))
            .QueryAuditRecordsAsync(Query(new AuditFilter { Subject = new Subject { CitizenId = Person(7) } }), headers));
        Assert.Equal(StatusCode.PermissionDenied, partner.StatusCode);
        Assert.Equal("AUDITOR_ROLE_REQUIRED", GatewayAssert.ErrorInfoOf(partner).Reason);
        var attempt = (await AuditProbe.SingleRecordOfTraceAsync(Environment, traceId)).Entry;
        Assert.Equal((TestParticipants.ShanghaiPlatform, AuditOutcome.Rejected), (attempt.Caller, attempt.Outcome));
        Assert.Equal([AuditProbe.Hasher(Environment).Hash(Person(7)).Hex], attempt.SubjectHashes.Select(h => h.Hex));

        // The hospital's policy does not name the AuditService.
        var hospital = await Assert.ThrowsAsync<RpcException>(async () => await new AuditService.AuditServiceClient(Environment.ChannelFor(TestParticipants.Hospital))
            .QueryAuditRecordsAsync(Query(new AuditFilter())));
        Assert.Equal((StatusCode.PermissionDenied, "METHOD_NOT_ALLOWED"), (hospital.StatusCode, GatewayAssert.ErrorInfoOf(hospital).Reason));

        // Export is guarded alike.
        var export = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = new AuditService.AuditServiceClient(Environment.ChannelFor(TestParticipants.ShanghaiPlatform))
                .ExportAuditRecords(new ExportAuditRecordsRequest { Purpose = PurposeOfUse.Audit });
            await call.ResponseStream.MoveNext();
        });
        Assert.Equal(StatusCode.PermissionDenied, export.StatusCode);
    }

    [Fact]
    public async Task Auditor_MustStateThePurpose_AndGiveAWellFormedIdentifier()
    {
        var noPurpose = await Assert.ThrowsAsync<RpcException>(async () => await Auditor.QueryAuditRecordsAsync(new QueryAuditRecordsRequest()));
        Assert.Equal((StatusCode.PermissionDenied, "PURPOSE_REQUIRED"), (noPurpose.StatusCode, GatewayAssert.ErrorInfoOf(noPurpose).Reason));

        var malformed = await Assert.ThrowsAsync<RpcException>(async () =>
            await Auditor.QueryAuditRecordsAsync(Query(new AuditFilter { Subject = new Subject { CitizenId = "11010119900307000" } })));
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.Equal("filter.subject.citizen_id", Assert.Single(GatewayAssert.BadRequestOf(malformed).FieldViolations).Field);
        Assert.DoesNotContain("11010119900307000", malformed.Status.Detail, StringComparison.Ordinal);

        var status = await Assert.ThrowsAsync<RpcException>(async () => await Auditor.QueryAuditRecordsAsync(Query(new AuditFilter { Status = "BROKEN" })));
        Assert.Equal("filter.status", Assert.Single(GatewayAssert.BadRequestOf(status).FieldViolations).Field);
    }

    private static QueryAuditRecordsRequest Query(AuditFilter filter, int pageSize = 0, string pageToken = "") =>
        new() { Filter = filter, PageSize = pageSize, PageToken = pageToken, Purpose = PurposeOfUse.Audit };

    private string Person(int index) => Seeded.ActiveEmployee(Environment.Regions["310000"].Population, minimumBalance: 0, skip: index).CitizenId;

    private async Task LookUpAsync(string citizenId, Metadata? headers = null) =>
        await new MedicalClient(Environment.ChannelFor(TestParticipants.Hospital)).GetInsuredPersonAsync(
            new GetInsuredPersonRequest { InsuredRegion = "310000", CitizenId = citizenId, Purpose = PurposeOfUse.MedicalSettlement }, headers);
}
