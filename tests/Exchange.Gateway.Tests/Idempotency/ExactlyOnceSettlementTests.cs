using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.Sim.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Hosting;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Client = Exchange.Contracts.Medical.V1.CrossRegionSettlementService.CrossRegionSettlementServiceClient;

namespace Exchange.Gateway.Tests.Idempotency;

/// <summary>
/// Exactly-once settlement through the real gateway (embedded SQLite store) in front of real simulated regions: a
/// duplicate is answered byte for byte without reaching the partner, a reused msgid is refused, concurrent duplicates
/// reach the partner once, and an unknown outcome is resolved by resending the same msgid, which the partner dedupes.
/// </summary>
public sealed class ExactlyOnceSettlementTests(ExactlyOnceSettlementTests.Fixture fixture) : IClassFixture<ExactlyOnceSettlementTests.Fixture>
{
    private GatewayEnvironment Environment => fixture.Environment;

    [Fact]
    public async Task Settle_DuplicateRequestId_ReturnsTheStoredBytesWithoutReachingThePartner()
    {
        var region = Environment.Regions["310000"];
        var person = Seeded.ActiveEmployee(region.Population, minimumBalance: 100_00, skip: 0);
        var requestId = Settlements.NewRequestId();
        var request = Settlements.Bill(requestId, "310000", person.CitizenId).Bytes();
        var channel = Environment.ChannelFor(TestParticipants.Hospital);
        var (received, recorded) = (Settlements.Received(region), Settlements.Recorded(region));

        var first = await Settlements.SendAsync(channel, request);
        Assert.Equal(recorded + 1, Settlements.Recorded(region));
        var duplicate = await Settlements.SendAsync(channel, request);

        Assert.Equal(first, duplicate);
        var settlement = SettleResponse.Parser.ParseFrom(first).Settlement;
        Assert.Equal(requestId, settlement.RequestId);
        Assert.Equal(SettlementState.Settled, settlement.State);
        Assert.Equal(received + 1, Settlements.Received(region));
        Assert.Equal(recorded + 1, Settlements.Recorded(region));
    }

    [Fact]
    public async Task Settle_SameRequestIdForADifferentBill_IsRefusedAlreadyExists()
    {
        var region = Environment.Regions["310000"];
        var person = Seeded.ActiveEmployee(region.Population, minimumBalance: 100_00, skip: 1);
        var requestId = Settlements.NewRequestId();
        var channel = Environment.ChannelFor(TestParticipants.Hospital);
        await Settlements.SendAsync(channel, Settlements.Bill(requestId, "310000", person.CitizenId).Bytes());
        var (received, recorded) = (Settlements.Received(region), Settlements.Recorded(region));

        var error = await GatewayAssert.FailsWith(
            StatusCode.AlreadyExists,
            $"request_id {requestId} was already used for a different {Settlements.Path} request; resend the original request unchanged, or choose a new request_id for a new request",
            () => Settlements.SendAsync(channel, Settlements.Bill(requestId, "310000", person.CitizenId, classAFen: 999_00).Bytes()));

        var info = GatewayAssert.ErrorInfoOf(error);
        Assert.Equal("REQUEST_ID_REUSED", info.Reason);
        Assert.Equal(requestId, info.Metadata["request_id"]);
        Assert.DoesNotContain(person.CitizenId, error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(received, Settlements.Received(region));
        Assert.Equal(recorded, Settlements.Recorded(region));
    }

    [Fact]
    public async Task Settle_TwentyConcurrentDuplicates_ReachThePartnerOnce()
    {
        var region = Environment.Regions["320000"];
        var person = Seeded.ActiveEmployee(region.Population, minimumBalance: 100_00, skip: 0);
        var request = Settlements.Bill(Settlements.NewRequestId(), "320000", person.CitizenId).Bytes();
        var channel = Environment.ChannelFor(TestParticipants.Hospital);
        var (received, recorded) = (Settlements.Received(region), Settlements.Recorded(region));
        // The partner takes a while, so that the duplicates arrive while the first is still being forwarded.
        region.Faults.Set(new FaultSettings { Latency = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(300)), LatencyRate = 1 });
        byte[][] answers;
        try
        {
            answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Settlements.SendAsync(channel, request))));
        }
        finally
        {
            region.Faults.Set(new FaultSettings());
        }

        Assert.All(answers, answer => Assert.Equal(answers[0], answer));
        Assert.Equal(received + 1, Settlements.Received(region));
        Assert.Equal(recorded + 1, Settlements.Recorded(region));
    }

    [Fact]
    public async Task Settle_PartnerSlowerThanTheDeadline_IsOutcomeUnknown_ThenTheResendUnderTheSameRequestIdIsDedupedByThePartner()
    {
        var region = Environment.Regions["330000"];
        var person = Seeded.ActiveEmployee(region.Population, minimumBalance: 100_00, skip: 0);
        var requestId = Settlements.NewRequestId();
        var bill = Settlements.Bill(requestId, "330000", person.CitizenId);
        var channel = Environment.ChannelFor(TestParticipants.Hospital);
        var (received, recorded) = (Settlements.Received(region), Settlements.Recorded(region));

        region.Faults.Set(new FaultSettings { Latency = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)), LatencyRate = 1 });
        RpcException error;
        try
        {
            error = await Assert.ThrowsAsync<RpcException>(() => Settlements.SendAsync(channel, bill.Bytes(), DateTime.UtcNow.AddSeconds(2)));
        }
        finally
        {
            region.Faults.Set(new FaultSettings());
        }

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        var info = GatewayAssert.ErrorInfoOf(error);
        Assert.Equal("OUTCOME_UNKNOWN", info.Reason);
        Assert.Equal(requestId, info.Metadata["request_id"]);
        Assert.Equal(Settlements.Path, info.Metadata["method"]);
        Assert.Contains("GetSettlement by request_id or ReverseSettlement", info.Metadata["resolve"], StringComparison.Ordinal);
        Assert.Equal(received + 1, Settlements.Received(region));
        Assert.Equal(recorded, Settlements.Recorded(region));

        // The request arrives at the partner after all (a late copy) and is settled there: the gateway never saw the answer.
        var late = (await new Client(Environment.ChannelToRegion("330000")).SettleAsync(bill)).Settlement;
        Assert.Equal(recorded + 1, Settlements.Recorded(region));

        var resolved = await Settlements.SendAsync(channel, bill.Bytes());
        var again = await Settlements.SendAsync(channel, bill.Bytes());

        Assert.Equal(late, SettleResponse.Parser.ParseFrom(resolved).Settlement);
        Assert.Equal(resolved, again);
        Assert.Equal(received + 3, Settlements.Received(region));
        Assert.Equal(recorded + 1, Settlements.Recorded(region));
    }

    [Fact]
    public async Task Settle_DefiniteRefusalByThePartner_IsGivenToTheDuplicateWithoutReachingThePartner()
    {
        var region = Environment.Regions["310000"];
        var stranger = Seeded.ActiveEmployee(Environment.Regions["320000"].Population, minimumBalance: 0, skip: 5);
        var request = Settlements.Bill(Settlements.NewRequestId(), "310000", stranger.CitizenId).Bytes();
        var channel = Environment.ChannelFor(TestParticipants.Hospital);
        var received = Settlements.Received(region);

        var first = await Assert.ThrowsAsync<RpcException>(() => Settlements.SendAsync(channel, request));
        var duplicate = await Assert.ThrowsAsync<RpcException>(() => Settlements.SendAsync(channel, request));

        Assert.Equal(StatusCode.NotFound, first.StatusCode);
        Assert.Equal(first.StatusCode, duplicate.StatusCode);
        Assert.Equal(first.Status.Detail, duplicate.Status.Detail);
        Assert.Equal(received + 1, Settlements.Received(region));
    }

    [Fact]
    public async Task Settle_RefusedByTheGatewayItself_LeavesTheRequestIdFree()
    {
        var region = Environment.Regions["310000"];
        var person = Seeded.ActiveEmployee(region.Population, minimumBalance: 100_00, skip: 2);
        var requestId = Settlements.NewRequestId();
        var channel = Environment.ChannelFor(TestParticipants.Hospital);
        var refused = Settlements.Bill(requestId, "310000", person.CitizenId);
        refused.Purpose = PurposeOfUse.CreditSupervision;
        var received = Settlements.Received(region);

        var error = await Assert.ThrowsAsync<RpcException>(() => Settlements.SendAsync(channel, refused.Bytes()));
        var settled = SettleResponse.Parser.ParseFrom(await Settlements.SendAsync(channel, Settlements.Bill(requestId, "310000", person.CitizenId).Bytes()));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(requestId, settled.Settlement.RequestId);
        Assert.Equal(received + 1, Settlements.Received(region));
    }

    [Fact]
    public async Task Start_WithAnSqliteFileThatCannotBeOpened_FailsNamingTheSetting()
    {
        var notADirectory = Environment.Pki.CaCertificatePath;
        var path = Path.Combine(notADirectory, "gateway.db");

        var e = await Assert.ThrowsAsync<GatewayConfigurationException>(() => GatewayHost.StartAsync(
            Environment.Gateway.Options with { Idempotency = new IdempotencyOptions { SqlitePath = path } }));

        var error = Assert.Single(e.Errors);
        Assert.StartsWith($"Idempotency.SqlitePath ('{path}'): the idempotency store cannot be opened: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithAPostgresDatabaseThatCannotBeReached_FailsNamingTheSettingButNotThePassword()
    {
        var e = await Assert.ThrowsAsync<GatewayConfigurationException>(() => GatewayHost.StartAsync(Environment.Gateway.Options with
        {
            Idempotency = new IdempotencyOptions
            {
                Store = IdempotencyStoreKind.Postgres,
                PostgresConnectionString = "Host=127.0.0.1;Port=1;Username=exchange;Password=s3cret-pw;Database=exchange;Timeout=5",
            },
        }));

        var error = Assert.Single(e.Errors);
        Assert.StartsWith("Idempotency.PostgresConnectionString (host 127.0.0.1, database exchange): the idempotency store cannot be opened: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// A gateway environment whose deadline margin leaves the gateway half a second to record an unknown outcome and
    /// answer before the caller's deadline, however slow the machine.
    /// </summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private GatewayEnvironment? _environment;

        /// <summary>The environment.</summary>
        public GatewayEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

        /// <inheritdoc />
        public async Task InitializeAsync() =>
            _environment = await GatewayEnvironment.StartAsync(o => o with { Outbound = o.Outbound with { DeadlineMargin = TimeSpan.FromMilliseconds(500) } });

        /// <inheritdoc />
        public async Task DisposeAsync()
        {
            if (_environment is not null)
            {
                await _environment.DisposeAsync();
            }
        }
    }
}
