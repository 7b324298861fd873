using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.Sim.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.PartnerSim.Hosting;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>
/// The caller's deadline, less the gateway's margin, is the partner's deadline; without one the partner gets the
/// gateway's default; a partner that never answers costs the caller no more than its deadline; and a caller that
/// gives up ends the partner's call too.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class DeadlinePropagationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static readonly string GetInsuredPersonPath = ExchangePaths.Medical("GetInsuredPerson");

    [Fact]
    public async Task UnaryCall_CallerDeadlineOfTenSeconds_ReachesThePartnerLessTheMargin()
    {
        var environment = fixture.Environment;
        var margin = environment.Gateway.Options.Outbound.DeadlineMargin;
        Assert.Equal(TimeSpan.FromMilliseconds(200), margin);
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital));

        await client.GetInsuredPersonAsync(InsuredPersonRequest(environment, "310000"), deadline: DateTime.UtcNow.AddSeconds(10));

        var remaining = LastDeadlineRemaining(environment.Regions["310000"], GetInsuredPersonPath);
        Assert.InRange(remaining, TimeSpan.FromSeconds(9) - margin, TimeSpan.FromSeconds(10) - margin);
    }

    [Fact]
    public async Task UnaryCall_NoCallerDeadline_PartnerGetsTheGatewaysDefaultTimeout()
    {
        var environment = fixture.Environment;
        var defaultTimeout = environment.Gateway.Options.Outbound.DefaultTimeout;
        Assert.Equal(TimeSpan.FromSeconds(30), defaultTimeout);
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital));

        await client.GetInsuredPersonAsync(InsuredPersonRequest(environment, "320000"));

        var remaining = LastDeadlineRemaining(environment.Regions["320000"], GetInsuredPersonPath);
        Assert.InRange(remaining, defaultTimeout - TimeSpan.FromSeconds(1), defaultTimeout);
    }

    [Fact]
    public async Task ServerStreamingCall_CallerDeadline_ReachesThePartnerLessTheMargin()
    {
        var environment = fixture.Environment;
        var margin = environment.Gateway.Options.Outbound.DeadlineMargin;
        var client = new ArchiveService.ArchiveServiceClient(environment.ChannelFor(TestParticipants.Archive));

        // The partner knows no such look-up; its refusal comes back through the stream, and what it saw is recorded.
        await GatewayAssert.FailsWith(StatusCode.NotFound, "no archive look-up 330000L99999999 here", async () =>
        {
            using var call = client.WatchArchiveLookup(
                new WatchArchiveLookupRequest { ArchiveRegion = "330000", LookupId = "330000L99999999" }, deadline: DateTime.UtcNow.AddSeconds(10));
            await call.ResponseStream.MoveNext();
        });

        var remaining = LastDeadlineRemaining(environment.Regions["330000"], ExchangePaths.Archive("WatchArchiveLookup"));
        Assert.InRange(remaining, TimeSpan.FromSeconds(9) - margin, TimeSpan.FromSeconds(10) - margin);
    }

    [Fact]
    public async Task UnaryCall_PartnerNeverAnswers_CallerGetsDeadlineExceededAndThePartnersCallEnds()
    {
        await using var environment = await GatewayEnvironment.StartAsync();
        var shanghai = environment.Regions["310000"];
        shanghai.Faults.Set(new FaultSettings { BlackHole = true });
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital));

        // Either the gateway's answer at the partner's deadline (the caller's less the margin) or the caller's own
        // timer a margin later ends the call; both say DEADLINE_EXCEEDED, in different words.
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetInsuredPersonAsync(InsuredPersonRequest(environment, "310000"), deadline: DateTime.UtcNow.AddMilliseconds(500)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await Eventually.True(() => Stats(shanghai, GetInsuredPersonPath) is { Received: 1, Failed: 1 }, "Shanghai's call ended");
        Assert.InRange(LastDeadlineRemaining(shanghai, GetInsuredPersonPath), TimeSpan.Zero, TimeSpan.FromMilliseconds(500) - environment.Gateway.Options.Outbound.DeadlineMargin);
    }

    [Fact]
    public async Task UnaryCall_PartnerNeverAnswers_GatewayAnswersDeadlineExceededNamingTheRegionAtThePartnersDeadline()
    {
        // A wide margin puts the partner's deadline (0.5 s) well before the caller's (1.5 s), so the answer is the
        // gateway's, not the caller's own timer.
        await using var environment = await GatewayEnvironment.StartAsync(
            options => options with { Outbound = options.Outbound with { DeadlineMargin = TimeSpan.FromSeconds(1) } });
        environment.Regions["310000"].Faults.Set(new FaultSettings { BlackHole = true });
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital));

        await GatewayAssert.FailsWith(StatusCode.DeadlineExceeded, "region 310000 did not answer within the deadline", () =>
            client.GetInsuredPersonAsync(InsuredPersonRequest(environment, "310000"), deadline: DateTime.UtcNow.AddMilliseconds(1500)).ResponseAsync);

        Assert.InRange(LastDeadlineRemaining(environment.Regions["310000"], GetInsuredPersonPath), TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task UnaryCall_CallerCancelsWhilePartnerIsSlow_PartnersCallEndsWithoutAnAnswer()
    {
        await using var environment = await GatewayEnvironment.StartAsync();
        var shanghai = environment.Regions["310000"];
        // Far longer than the gateway's 30 s default timeout: only the cancellation can end the call within the wait below.
        shanghai.Faults.Set(new FaultSettings { Latency = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)), LatencyRate = 1 });
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital));
        using var cancellation = new CancellationTokenSource();

        using var call = client.GetInsuredPersonAsync(InsuredPersonRequest(environment, "310000"), cancellationToken: cancellation.Token);
        await Eventually.True(() => shanghai.Statistics.ReceivedBy(GetInsuredPersonPath) == 1, "Shanghai holds the call");
        await cancellation.CancelAsync();

        await GatewayAssert.FailsWith(StatusCode.Cancelled, "Call canceled by the client.", () => call.ResponseAsync);
        await Eventually.True(() => Stats(shanghai, GetInsuredPersonPath).Failed == 1, "Shanghai's call ended");
        Assert.Equal(0, Stats(shanghai, GetInsuredPersonPath).Succeeded);
    }

    [Fact]
    public async Task FanOutCall_CallerCancelsWhileRegionsAreSlow_EveryRegionsCallEnds()
    {
        await using var environment = await GatewayEnvironment.StartAsync();
        foreach (var region in environment.Regions.Values)
        {
            region.Faults.Set(new FaultSettings { Latency = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)), LatencyRate = 1 });
        }

        var client = new CreditService.CreditServiceClient(environment.ChannelFor(TestParticipants.CreditOffice));
        var listPath = ExchangePaths.Credit("ListCreditRecords");
        using var cancellation = new CancellationTokenSource();

        using var call = client.ListCreditRecordsAsync(
            new ListCreditRecordsRequest { Subject = new Subject { CreditCode = "91310110666007217T" }, Purpose = PurposeOfUse.CreditSupervision },
            cancellationToken: cancellation.Token);
        await Eventually.True(() => environment.Regions.Values.All(r => r.Statistics.ReceivedBy(listPath) == 1), "every region holds the call");
        await cancellation.CancelAsync();

        await GatewayAssert.FailsWith(StatusCode.Cancelled, "Call canceled by the client.", () => call.ResponseAsync);
        await Eventually.True(() => environment.Regions.Values.All(r => Stats(r, listPath).Failed == 1), "every region's call ended");
    }

    [Fact]
    public async Task UnaryCall_CallerDeadlineShorterThanTheMargin_IsRefusedWithoutForwarding()
    {
        await using var environment = await GatewayEnvironment.StartAsync(
            options => options with { Outbound = options.Outbound with { DeadlineMargin = TimeSpan.FromSeconds(5) } });
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital));
        var traffic = RegionTraffic.Start(environment);

        await GatewayAssert.FailsWith(StatusCode.DeadlineExceeded, "the caller's deadline leaves no time to forward the exchange", () =>
            client.GetInsuredPersonAsync(InsuredPersonRequest(environment, "310000"), deadline: DateTime.UtcNow.AddSeconds(2)).ResponseAsync);

        traffic.AssertNothing();
    }

    [Fact]
    public async Task FanOutCall_CallerDeadlineShorterThanTheMargin_IsRefusedWithoutAskingAnyRegion()
    {
        await using var environment = await GatewayEnvironment.StartAsync(
            options => options with { Outbound = options.Outbound with { DeadlineMargin = TimeSpan.FromSeconds(5) } });
        var client = new CreditService.CreditServiceClient(environment.ChannelFor(TestParticipants.CreditOffice));
        var traffic = RegionTraffic.Start(environment);

        await GatewayAssert.FailsWith(StatusCode.DeadlineExceeded, "the caller's deadline leaves no time to forward the exchange", () =>
            client.ListCreditRecordsAsync(
                new ListCreditRecordsRequest { Subject = new Subject { CreditCode = "91310110666007217T" }, Purpose = PurposeOfUse.CreditSupervision },
                deadline: DateTime.UtcNow.AddSeconds(2)).ResponseAsync);

        traffic.AssertNothing();
    }

    [Fact]
    public async Task ServerStreamingCall_CallerCancelsWhileWatching_PartnersStreamEnds()
    {
        // Look-ups that take minutes: only the cancellation can end the watch within the wait below.
        await using var environment = await GatewayEnvironment.StartAsync(configureRegion: options => options with { ArchiveSearchDelay = TimeSpan.FromMinutes(5) });
        var archive = environment.Regions["340000"];
        var (resident, _) = Seeded.SchoolRecord(archive.Population);
        var client = new ArchiveService.ArchiveServiceClient(environment.ChannelFor(TestParticipants.Archive));
        var lookup = (await client.SubmitArchiveLookupAsync(new SubmitArchiveLookupRequest
        {
            RequestId = "cancelled-watch-1",
            ArchiveRegion = "340000",
            Category = ArchiveCategory.School,
            Subject = new Subject { CitizenId = resident.CitizenId },
            SubjectName = resident.Name,
            Purpose = PurposeOfUse.SubjectRequest,
        })).Lookup;
        var watchPath = ExchangePaths.Archive("WatchArchiveLookup");
        using var cancellation = new CancellationTokenSource();

        using var watch = client.WatchArchiveLookup(
            new WatchArchiveLookupRequest { ArchiveRegion = "340000", LookupId = lookup.LookupId }, cancellationToken: cancellation.Token);
        Assert.True(await watch.ResponseStream.MoveNext());
        Assert.Equal(LookupState.Submitted, watch.ResponseStream.Current.Lookup.State);
        await cancellation.CancelAsync();

        await GatewayAssert.FailsWith(StatusCode.Cancelled, "Call canceled by the client.", () => watch.ResponseStream.MoveNext());
        await Eventually.True(() => Stats(archive, watchPath) is { Received: 1 } s && s.Succeeded + s.Failed == 1, "Anhui's watch ended");
    }

    private static GetInsuredPersonRequest InsuredPersonRequest(GatewayEnvironment environment, string region) => new()
    {
        InsuredRegion = region,
        CitizenId = Seeded.ActiveEmployee(environment.Regions[region].Population, minimumBalance: 0).CitizenId,
        Purpose = PurposeOfUse.MedicalSettlement,
    };

    private static MethodStats Stats(PartnerRegionHost region, string path) =>
        region.Statistics.Snapshot().SingleOrDefault(s => s.Path == path) ?? new MethodStats { Path = path };

    private static TimeSpan LastDeadlineRemaining(PartnerRegionHost region, string path)
    {
        var stats = Stats(region, path);
        Assert.NotNull(stats.LastDeadlineRemaining);
        return stats.LastDeadlineRemaining.ToTimeSpan();
    }
}
