using Exchange.Contracts.Sim.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Hosting;
using Exchange.Gateway.Tests.Idempotency;
using Exchange.Gateway.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Xunit.Abstractions;

namespace Exchange.Gateway.Tests.Faults;

/// <summary>
/// The fault run against the shared PostgreSQL store (a schema of its own, dropped afterwards) with two gateway
/// processes: the client sends each retry of a msgid to the other gateway, and some bills to both at once, so an
/// unknown outcome recorded by one gateway is resent by the other and concurrent duplicates meet across gateways.
/// </summary>
[Collection(FaultRuns.Name)]
public sealed class SharedPostgresUnderFaultsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoHundredSettlements_TwoGatewaysSharingPostgres_RetriesAlternatingGateways_EachMsgidSettledOnce()
    {
        var faults = new RunFaults(
            "200 settlements, two gateways sharing PostgreSQL, ~20% failures: 10% UNAVAILABLE, 5% delayed beyond the deadline, 6% of answers lost after settling",
            new FaultSettings
            {
                Errors = { new ErrorFault { StatusCode = (int)StatusCode.Unavailable, Rate = 0.10 } },
                Latency = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
                LatencyRate = 0.05,
            },
            AnswersLost: 0.06);
        var schema = TestPostgres.NewSchema();
        var links = await SettlementFaultRun.StartLinksAsync(faults);
        try
        {
            await using var environment = await GatewayEnvironment.StartAsync(options => SettlementFaultRun.ThroughLinks(SettlementFaultRun.ForRun(options), links) with
            {
                Idempotency = new IdempotencyOptions
                {
                    Store = IdempotencyStoreKind.Postgres, PostgresConnectionString = TestPostgres.ConnectionString, PostgresSchema = schema,
                },
            }, SettlementFaultRun.OwnDice);
            foreach (var link in links)
            {
                link.Connect(environment);
            }

            await using var second = await GatewayHost.StartAsync(environment.Gateway.Options with { NodeId = "gateway-test-2" });
            using var toSecond = Settlements.ChannelTo(second.Address, environment, TestParticipants.Hospital);

            var figures = await SettlementFaultRun.RunAsync(
                environment, [environment.ChannelFor(TestParticipants.Hospital), toSecond], links, faults, 200, output, new ClientBehaviour { DoubleSendEvery = 10 });

            Assert.True(figures.Resent > 0, "no unknown outcome was resent");
        }
        finally
        {
            foreach (var link in links)
            {
                await link.DisposeAsync();
            }

            await TestPostgres.DropSchemaAsync(schema);
        }
    }
}
