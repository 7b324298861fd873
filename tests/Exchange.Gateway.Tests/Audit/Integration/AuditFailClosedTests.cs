using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Audit;
using Exchange.Gateway.Forwarding;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using MedicalClient = Exchange.Contracts.Medical.V1.CrossRegionSettlementService.CrossRegionSettlementServiceClient;

namespace Exchange.Gateway.Tests.Audit.Integration;

/// <summary>
/// Fail closed, through the real gateway: when the audit store cannot be written the gateway answers UNAVAILABLE
/// (AUDIT_UNAVAILABLE) instead of answering unaudited, its gRPC health says NOT_SERVING, and once the store is back it
/// recovers by itself and the chain goes on intact. The store is a real SQLite store behind a switch, put in place of
/// the configured one through the host's services.
/// </summary>
public sealed class AuditFailClosedTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("exchange-audit-closed-").FullName;
    private readonly List<IAuditStore> _inner = [];

    [Fact]
    public async Task StoreFailing_ExchangesAnsweredUnavailable_HealthNotServing_ThenRecoversByItself()
    {
        var store = Faulty();
        await using var environment = await StartAsync(store);
        var trail = environment.Gateway.Services.GetRequiredService<AuditTrail>();
        var person = Seeded.ActiveEmployee(environment.Regions["310000"].Population, minimumBalance: 0);
        var (okHeaders, okTrace) = AuditProbe.NewTrace();
        await Call(environment, person.CitizenId, okHeaders);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthAsync(environment));

        // The store fails while the exchange is in flight: it was forwarded, but its answer is withheld.
        store.Fault = StoreFault.WritesFail;
        var traffic = RegionTraffic.Start(environment);
        var (headers, lostTrace) = AuditProbe.NewTrace();
        var withheld = await Assert.ThrowsAsync<RpcException>(() => Call(environment, person.CitizenId, headers));
        AssertAuditUnavailable(withheld, forwarded: true);
        traffic.AssertExactly(("310000", ExchangePaths.Medical("GetInsuredPerson"), 1));

        // From then on the trail is unhealthy: exchanges are refused before anything is forwarded, health says why not.
        Assert.Equal(AuditHealthStatus.Unhealthy, trail.Health.Current.Status);
        Assert.Contains(FaultyAuditStore.Message, trail.Health.Current.Reason, StringComparison.Ordinal);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await HealthAsync(environment));
        traffic = RegionTraffic.Start(environment);
        var refused = await Assert.ThrowsAsync<RpcException>(() => Call(environment, person.CitizenId, AuditProbe.NewTrace().Headers));
        AssertAuditUnavailable(refused, forwarded: false);
        traffic.AssertNothing();

        // The store is back: the trail finds it by itself, and exchanges are answered (and audited) again.
        store.Fault = StoreFault.None;
        await trail.Health.WaitForAsync(AuditHealthStatus.Healthy).WaitAsync(TimeSpan.FromSeconds(20));
        var (againHeaders, againTrace) = AuditProbe.NewTrace();
        await Call(environment, person.CitizenId, againHeaders);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthAsync(environment));

        await AuditProbe.SingleRecordOfTraceAsync(environment, okTrace);
        await AuditProbe.SingleRecordOfTraceAsync(environment, againTrace);
        Assert.Empty(await AuditProbe.RecordsOfTraceAsync(environment, lostTrace));
        var report = await AuditProbe.VerifyAsync(environment);
        Assert.True(report.IsValid, string.Join("; ", report.Problems));
        Assert.Equal(2, report.Chains.Single().Records);
    }

    [Fact]
    public async Task StoreDownAtStart_GatewayStartsNotServing_RefusesEveryExchange_UntilTheStoreIsBack()
    {
        var store = Faulty();
        store.Fault = StoreFault.Down;
        await using var environment = await StartAsync(store);
        var trail = environment.Gateway.Services.GetRequiredService<AuditTrail>();
        var person = Seeded.ActiveEmployee(environment.Regions["310000"].Population, minimumBalance: 0);
        var traffic = RegionTraffic.Start(environment);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await HealthAsync(environment));
        var refused = await Assert.ThrowsAsync<RpcException>(() => Call(environment, person.CitizenId, AuditProbe.NewTrace().Headers));
        AssertAuditUnavailable(refused, forwarded: false);
        traffic.AssertNothing();

        store.Fault = StoreFault.None;
        await trail.Health.WaitForAsync(AuditHealthStatus.Healthy).WaitAsync(TimeSpan.FromSeconds(20));
        var (headers, traceId) = AuditProbe.NewTrace();
        await Call(environment, person.CitizenId, headers);
        Assert.Equal(1, (await AuditProbe.SingleRecordOfTraceAsync(environment, traceId)).Sequence);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthAsync(environment));
    }

    [Fact]
    public async Task PartnerUnreachable_ExchangeIsRecordedAsFailed_WithTheEndpointTried()
    {
        using var closed = new ClosedPort();
        var dead = $"https://127.0.0.1:{closed.Port}/";
        await using var environment = await GatewayEnvironment.StartAsync(options => options with
        {
            Regions = [.. options.Regions.Select(r => r.Code == "320000" ? r with { Endpoints = [dead] } : r)],
        });
        var person = Seeded.ActiveEmployee(environment.Regions["320000"].Population, minimumBalance: 0);
        var (headers, traceId) = AuditProbe.NewTrace();

        var e = await Assert.ThrowsAsync<RpcException>(async () => await new MedicalClient(environment.ChannelFor(TestParticipants.Hospital))
            .GetInsuredPersonAsync(new GetInsuredPersonRequest { InsuredRegion = "320000", CitizenId = person.CitizenId, Purpose = PurposeOfUse.MedicalSettlement }, headers));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        var entry = (await AuditProbe.SingleRecordOfTraceAsync(environment, traceId)).Entry;
        Assert.Equal((StatusCode.Unavailable, AuditOutcome.Failed, "320000", dead), (entry.Status, entry.Outcome, entry.TargetRegion, entry.TargetEndpoint));
        Assert.True(entry.Attempts >= 1, $"{entry.Attempts} attempts");
        Assert.NotNull(entry.ForwardedAt);
        Assert.Null(entry.Response);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _inner)
        {
            await store.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private static async Task<GetInsuredPersonResponse> Call(GatewayEnvironment environment, string citizenId, Metadata headers) =>
        await new MedicalClient(environment.ChannelFor(TestParticipants.Hospital)).GetInsuredPersonAsync(
            new GetInsuredPersonRequest { InsuredRegion = "310000", CitizenId = citizenId, Purpose = PurposeOfUse.MedicalSettlement }, headers);

    private static async Task<HealthCheckResponse.Types.ServingStatus> HealthAsync(GatewayEnvironment environment) =>
        (await new Health.HealthClient(environment.ChannelFor(TestParticipants.Hospital)).CheckAsync(new HealthCheckRequest())).Status;

    private static void AssertAuditUnavailable(RpcException error, bool forwarded)
    {
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        var info = GatewayAssert.ErrorInfoOf(error);
        Assert.Equal(ExchangeAuditor.AuditUnavailableReason, info.Reason);
        Assert.Equal(forwarded ? "true" : "false", info.Metadata["forwarded"]);
    }

    private FaultyAuditStore Faulty()
    {
        var inner = new SqliteAuditStore(Path.Combine(_directory, $"audit-{_inner.Count}.db"));
        _inner.Add(inner);
        return new FaultyAuditStore(inner);
    }

    private static Task<GatewayEnvironment> StartAsync(FaultyAuditStore store) => GatewayEnvironment.StartAsync(
        options => options with { Audit = options.Audit with { RetryInterval = TimeSpan.FromMilliseconds(100) } },
        configureHost: host => host.Services.AddSingleton<IAuditStore>(store));
}
