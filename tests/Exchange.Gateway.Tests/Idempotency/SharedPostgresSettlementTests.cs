using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.Sim.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Hosting;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace Exchange.Gateway.Tests.Idempotency;

/// <summary>
/// Exactly-once settlement with the shared PostgreSQL store (a schema of its own, dropped afterwards): one gateway
/// answers a duplicate from it, and two gateway processes receiving the same msgid at once forward it once.
/// </summary>
public sealed class SharedPostgresSettlementTests(SharedPostgresSettlementTests.Fixture fixture) : IClassFixture<SharedPostgresSettlementTests.Fixture>
{
    private GatewayEnvironment Environment => fixture.Environment;

    [Fact]
    public async Task Settle_DuplicateRequestId_IsAnsweredFromThePostgresStore()
    {
        var region = Environment.Regions["310000"];
        var person = Seeded.ActiveEmployee(region.Population, minimumBalance: 100_00, skip: 0);
        var request = Settlements.Bill(Settlements.NewRequestId(), "310000", person.CitizenId).Bytes();
        var channel = Environment.ChannelFor(TestParticipants.Hospital);
        var (received, recorded) = (Settlements.Received(region), Settlements.Recorded(region));

        var first = await Settlements.SendAsync(channel, request);
        var duplicate = await Settlements.SendAsync(channel, request);

        Assert.Equal(first, duplicate);
        Assert.Equal(received + 1, Settlements.Received(region));
        Assert.Equal(recorded + 1, Settlements.Recorded(region));
    }

    [Fact]
    public async Task TwoGatewaysSharingPostgres_SameRequestIdConcurrently_ForwardItOnce()
    {
        var region = Environment.Regions["330000"];
        var person = Seeded.ActiveEmployee(region.Population, minimumBalance: 100_00, skip: 0);
        var request = Settlements.Bill(Settlements.NewRequestId(), "330000", person.CitizenId).Bytes();
        await using var second = await GatewayHost.StartAsync(Environment.Gateway.Options with { NodeId = "gateway-test-2" });
        using var secondChannel = Settlements.ChannelTo(second.Address, Environment, TestParticipants.Hospital);
        var firstChannel = Environment.ChannelFor(TestParticipants.Hospital);
        var (received, recorded) = (Settlements.Received(region), Settlements.Recorded(region));
        // The partner takes a while, so that both gateways hold the request at the same time.
        region.Faults.Set(new FaultSettings { Latency = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(500)), LatencyRate = 1 });
        byte[][] answers;
        try
        {
            answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
                Task.Run(() => Settlements.SendAsync(i % 2 == 0 ? firstChannel : secondChannel, request))));
        }
        finally
        {
            region.Faults.Set(new FaultSettings());
        }

        Assert.All(answers, answer => Assert.Equal(answers[0], answer));
        Assert.Equal(SettlementState.Settled, SettleResponse.Parser.ParseFrom(answers[0]).Settlement.State);
        Assert.Equal(received + 1, Settlements.Received(region));
        Assert.Equal(recorded + 1, Settlements.Recorded(region));
    }

    /// <summary>A gateway environment whose idempotency store is a fresh schema of the test PostgreSQL.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly string _schema = TestPostgres.NewSchema();
        private GatewayEnvironment? _environment;

        /// <summary>The environment.</summary>
        public GatewayEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

        /// <inheritdoc />
        public async Task InitializeAsync() => _environment = await GatewayEnvironment.StartAsync(o => o with
        {
            Idempotency = new IdempotencyOptions
            {
                Store = IdempotencyStoreKind.Postgres,
                PostgresConnectionString = TestPostgres.ConnectionString,
                PostgresSchema = _schema,
            },
        });

        /// <inheritdoc />
        public async Task DisposeAsync()
        {
            if (_environment is not null)
            {
                await _environment.DisposeAsync();
            }

            await TestPostgres.DropSchemaAsync(_schema);
        }
    }
}
