using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Audit;
using Exchange.Gateway.Hosting;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Idempotency;
using Exchange.Gateway.Tests.Infrastructure;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Audit.Integration;

/// <summary>
/// The audit trail in the shared PostgreSQL store (a schema of its own, dropped afterwards), through real gateways:
/// two replicas on one database each write their own chain, both audited before answering, both verifying.
/// </summary>
public sealed class AuditPostgresGatewayTests : IAsyncLifetime
{
    private readonly string _schema = TestPostgres.NewSchema();
    private GatewayEnvironment? _environment;

    private GatewayEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

    [Fact]
    public async Task TwoReplicasSharingPostgres_EachAuditsInItsOwnChain_AndBothChainsVerify()
    {
        await using var second = await GatewayHost.StartAsync(Environment.Gateway.Options with { NodeId = "gateway-test-2" });
        using var secondChannel = Settlements.ChannelTo(second.Address, Environment, TestParticipants.Hospital);
        var person = Seeded.ActiveEmployee(Environment.Regions["310000"].Population, minimumBalance: 0).CitizenId;
        var (firstHeaders, firstTrace) = AuditProbe.NewTrace();
        var (secondHeaders, secondTrace) = AuditProbe.NewTrace();

        await Call(new CrossRegionSettlementService.CrossRegionSettlementServiceClient(Environment.ChannelFor(TestParticipants.Hospital)), person, firstHeaders);
        await Call(new CrossRegionSettlementService.CrossRegionSettlementServiceClient(secondChannel), person, secondHeaders);

        var first = await AuditProbe.SingleRecordOfTraceAsync(Environment, firstTrace);
        var other = await AuditProbe.SingleRecordOfTraceAsync(Environment, secondTrace);
        Assert.Equal(("gateway-test", 1L), (first.Node, first.Sequence));
        Assert.Equal(("gateway-test-2", 1L), (other.Node, other.Sequence));
        Assert.Equal(first.Entry.SubjectHashes.Select(h => h.Hex), other.Entry.SubjectHashes.Select(h => h.Hex));
        var report = await AuditProbe.VerifyAsync(Environment);
        Assert.True(report.IsValid, string.Join("; ", report.Problems));
        Assert.Equal(["gateway-test", "gateway-test-2"], report.Chains.Select(c => c.Node));
    }

    public async Task InitializeAsync() => _environment = await GatewayEnvironment.StartAsync(options => options with
    {
        Audit = options.Audit with { Store = AuditStoreKind.Postgres, PostgresConnectionString = TestPostgres.ConnectionString, PostgresSchema = _schema },
    });

    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }

        await TestPostgres.DropSchemaAsync(_schema);
    }

    private static async Task Call(CrossRegionSettlementService.CrossRegionSettlementServiceClient client, string citizenId, Metadata headers) =>
        await client.GetInsuredPersonAsync(new GetInsuredPersonRequest { InsuredRegion = "310000", CitizenId = citizenId, Purpose = PurposeOfUse.MedicalSettlement }, headers);
}
