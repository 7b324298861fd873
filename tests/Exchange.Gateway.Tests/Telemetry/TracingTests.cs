using System.Diagnostics;
using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Infrastructure;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Telemetry;

/// <summary>
/// The gateway's spans: one server span per exchange continuing the caller's trace, one client span per outbound
/// call under it, tagged with method, participant, region and status, and never carrying personal data.
/// </summary>
[Collection(TelemetryIsolation.Name)]
public sealed class TracingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task UnaryExchange_OneServerSpanUnderTheCallersAndOneClientSpanUnderIt_ThePartnerContinuesTheClientSpan()
    {
        var environment = fixture.Environment;
        var shanghai = environment.Regions["310000"];
        using var spans = new CapturedActivities();
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital));

        await client.GetInsuredPersonAsync(InsuredPersonRequest(Seeded.ActiveEmployee(shanghai.Population, 0).CitizenId), spans.Headers);

        var all = await spans.WaitForAsync(2);
        Assert.Equal(2, all.Count);
        var server = Assert.Single(all, a => a.Kind == ActivityKind.Server);
        var outbound = Assert.Single(all, a => a.Kind == ActivityKind.Client);
        Assert.Equal(spans.CallerSpanId, server.ParentSpanId);
        Assert.Equal("exchange exchange.medical.v1.CrossRegionSettlementService/GetInsuredPerson", server.DisplayName);
        AssertTags(server, ("rpc.system", "grpc"), ("rpc.service", "exchange.medical.v1.CrossRegionSettlementService"), ("rpc.method", "GetInsuredPerson"),
            ("exchange.participant", TestParticipants.Hospital), ("exchange.target_region", "310000"), ("rpc.grpc.status_code", 0));
        Assert.Equal(ActivityStatusCode.Unset, server.Status);

        Assert.Equal(server.SpanId, outbound.ParentSpanId);
        Assert.Equal("forward exchange.medical.v1.CrossRegionSettlementService/GetInsuredPerson", outbound.DisplayName);
        AssertTags(outbound, ("rpc.system", "grpc"), ("rpc.method", "GetInsuredPerson"), ("exchange.region", "310000"),
            ("server.address", shanghai.Address.Host), ("server.port", shanghai.Address.Port), ("rpc.grpc.status_code", 0));

        var seen = shanghai.Statistics.Snapshot().Single(s => s.Path == ExchangePaths.Medical("GetInsuredPerson")).LastTraceparent;
        Assert.True(ActivityContext.TryParse(seen, null, out var partner));
        Assert.Equal(spans.TraceId, partner.TraceId);
        Assert.Equal(outbound.SpanId, partner.SpanId);
    }

    [Fact]
    public async Task ExchangeWithoutCallerTraceContext_StartsATraceOfItsOwn_ThePartnerContinuesItsClientSpan()
    {
        var environment = fixture.Environment;
        var zhejiang = environment.Regions["330000"];
        var card = Seeded.ValidCard(zhejiang.Population);
        var client = new SocialSecurityCardService.SocialSecurityCardServiceClient(environment.ChannelFor(TestParticipants.SocialSecurity));
        // The trace id is the gateway's to choose: keep every span (the tests of this collection run alone) and pick
        // this exchange's by its target, Huzhou, which no other test names.
        using var spans = new CapturedActivities(_ => true);

        await client.VerifyCardAsync(new VerifyCardRequest { IssuingRegion = "330522", CitizenId = card.CitizenId, Purpose = PurposeOfUse.SocialInsurance });

        await Eventually.True(() => spans.Stopped.Any(IsHuzhouExchange), "the exchange's server span ended");
        var server = Assert.Single(spans.Stopped, IsHuzhouExchange);
        Assert.True(server.Recorded);
        Assert.Equal(default, server.ParentSpanId);
        var outbound = Assert.Single(spans.Stopped, a => a.Kind == ActivityKind.Client && a.ParentSpanId == server.SpanId);
        Assert.Equal(server.TraceId, outbound.TraceId);
        var seen = zhejiang.Statistics.Snapshot().Single(s => s.Path == ExchangePaths.Card("VerifyCard")).LastTraceparent;
        Assert.Equal($"00-{server.TraceId.ToHexString()}-{outbound.SpanId.ToHexString()}-01", seen);

        static bool IsHuzhouExchange(Activity activity) => activity.Kind == ActivityKind.Server && Equals(activity.GetTagItem("exchange.target_region"), "330522");
    }

    [Fact]
    public async Task FanOutExchange_OneClientSpanPerRegionUnderTheServerSpan()
    {
        var environment = fixture.Environment;
        using var spans = new CapturedActivities();
        var client = new CreditService.CreditServiceClient(environment.ChannelFor(TestParticipants.CreditOffice));

        await client.ListCreditRecordsAsync(
            new ListCreditRecordsRequest { Subject = new Subject { CreditCode = "91310110666007217T" }, Purpose = PurposeOfUse.CreditSupervision },
            spans.Headers);

        var all = await spans.WaitForAsync(1 + GatewayEnvironment.RegionCodes.Length);
        Assert.Equal(1 + GatewayEnvironment.RegionCodes.Length, all.Count);
        var server = Assert.Single(all, a => a.Kind == ActivityKind.Server);
        AssertTags(server, ("rpc.method", "ListCreditRecords"), ("exchange.participant", TestParticipants.CreditOffice), ("rpc.grpc.status_code", 0));
        Assert.Null(server.GetTagItem("exchange.target_region"));
        var outbound = all.Where(a => a.Kind == ActivityKind.Client).ToArray();
        Assert.All(outbound, a =>
        {
            Assert.Equal(server.SpanId, a.ParentSpanId);
            AssertTags(a, ("rpc.method", "ListCreditRecords"), ("rpc.grpc.status_code", 0));
        });
        Assert.Equal(GatewayEnvironment.RegionCodes.Order(StringComparer.Ordinal), outbound.Select(a => (string)a.GetTagItem("exchange.region")!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ExchangeRefusedByThePartner_BothSpansCarryThePartnersStatus()
    {
        var environment = fixture.Environment;
        using var spans = new CapturedActivities();
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital));
        // A She County resident is not insured in Shanghai.
        var countyResident = environment.Regions["341021"].Population.Residents[0].CitizenId;

        await GatewayAssert.FailsWith(StatusCode.NotFound, "no insured person with that citizen ID in region 310000", () =>
            client.GetInsuredPersonAsync(InsuredPersonRequest(countyResident), spans.Headers).ResponseAsync);

        var all = await spans.WaitForAsync(2);
        var server = Assert.Single(all, a => a.Kind == ActivityKind.Server);
        var outbound = Assert.Single(all, a => a.Kind == ActivityKind.Client);
        AssertTags(server, ("exchange.target_region", "310000"), ("rpc.grpc.status_code", (int)StatusCode.NotFound));
        Assert.Equal(ActivityStatusCode.Error, server.Status);
        AssertTags(outbound, ("exchange.region", "310000"), ("rpc.grpc.status_code", (int)StatusCode.NotFound));
        Assert.Equal(ActivityStatusCode.Error, outbound.Status);
    }

    [Fact]
    public async Task ExchangeRefusedByTheGateway_OnlyAServerSpanWithTheStatus()
    {
        var environment = fixture.Environment;
        using var spans = new CapturedActivities();
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital));

        await Assert.ThrowsAsync<RpcException>(() => client.GetInsuredPersonAsync(
            new GetInsuredPersonRequest { InsuredRegion = "110000", CitizenId = environment.Regions["310000"].Population.Residents[0].CitizenId, Purpose = PurposeOfUse.MedicalSettlement },
            spans.Headers).ResponseAsync);

        var server = Assert.Single(await spans.WaitForAsync(1));
        Assert.Equal(ActivityKind.Server, server.Kind);
        AssertTags(server, ("exchange.participant", TestParticipants.Hospital), ("exchange.target_region", "110000"), ("rpc.grpc.status_code", (int)StatusCode.NotFound));
        Assert.Equal(ActivityStatusCode.Error, server.Status);
    }

    [Fact]
    public async Task Spans_OfExchangesAboutAPerson_CarryNeitherTheirCitizenIdNorTheirName()
    {
        var environment = fixture.Environment;
        var (resident, _) = Seeded.SchoolRecord(environment.Regions["310000"].Population);
        var insured = environment.Regions["310000"].Population.ResidentsById[Seeded.ActiveEmployee(environment.Regions["310000"].Population, 0).CitizenId];
        var countyResident = environment.Regions["341021"].Population.Residents[1];
        using var spans = new CapturedActivities();
        var archive = new ArchiveService.ArchiveServiceClient(environment.ChannelFor(TestParticipants.Archive));
        var medical = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital));

        await archive.SubmitArchiveLookupAsync(
            new SubmitArchiveLookupRequest
            {
                RequestId = "telemetry-lookup-1",
                ArchiveRegion = "310000",
                Category = ArchiveCategory.School,
                Subject = new Subject { CitizenId = resident.CitizenId },
                SubjectName = resident.Name,
                Description = resident.Name + "的学籍",
                Purpose = PurposeOfUse.SubjectRequest,
            },
            spans.Headers);
        var person = (await medical.GetInsuredPersonAsync(InsuredPersonRequest(insured.CitizenId), spans.Headers)).Person;
        Assert.Equal(insured.Name, person.Name);
        await Assert.ThrowsAsync<RpcException>(() => medical.GetInsuredPersonAsync(InsuredPersonRequest(countyResident.CitizenId), spans.Headers).ResponseAsync);

        var all = await spans.WaitForAsync(6);
        var texts = all.SelectMany(Texts).ToArray();
        Assert.NotEmpty(texts);
        foreach (var secret in new[] { resident.CitizenId, resident.Name, insured.CitizenId, insured.Name, countyResident.CitizenId, countyResident.Name })
        {
            Assert.DoesNotContain(texts, text => text.Contains(secret, StringComparison.Ordinal));
        }
    }

    private static GetInsuredPersonRequest InsuredPersonRequest(string citizenId) => new()
    {
        InsuredRegion = "310000",
        CitizenId = citizenId,
        Purpose = PurposeOfUse.MedicalSettlement,
    };

    /// <summary>Every piece of text a span exports: name, status, tags, events, links' tags and baggage.</summary>
    private static IEnumerable<string> Texts(Activity activity) =>
        new[] { activity.DisplayName, activity.OperationName, activity.StatusDescription ?? "" }
            .Concat(activity.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(activity.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}").Append(e.Name)))
            .Concat(activity.Links.SelectMany(l => l.Tags?.Select(t => $"{t.Key}={t.Value}") ?? []))
            .Concat(activity.Baggage.Select(b => $"{b.Key}={b.Value}"));

    private static void AssertTags(Activity activity, params (string Key, object Value)[] expected)
    {
        foreach (var (key, value) in expected)
        {
            Assert.Equal(value, activity.GetTagItem(key));
        }
    }
}
