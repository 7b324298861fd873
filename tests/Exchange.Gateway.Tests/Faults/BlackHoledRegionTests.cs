using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.Sim.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Resilience;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Idempotency;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.Gateway.Tests.Resilience;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;
using Xunit.Abstractions;
using Client = Exchange.Contracts.Medical.V1.CrossRegionSettlementService.CrossRegionSettlementServiceClient;

namespace Exchange.Gateway.Tests.Faults;

/// <summary>
/// The isolation a black-holed partner must not break, on real sockets: while Zhejiang (330000) accepts calls and
/// never answers, every call to the other regions (look-ups and settlements) is answered; Zhejiang's calls hold no
/// more than its bulkhead, and once its breaker is open they fail fast (refused, nothing sent, no capacity held);
/// when Zhejiang answers again the breaker closes, and a settlement refused meanwhile settles under its msgid, once.
/// </summary>
[Collection(FaultRuns.Name)]
public sealed class BlackHoledRegionTests(ITestOutputHelper output)
{
    private const string BlackHoled = "330000";
    private static readonly string[] MedicalPaths = [.. new[] { "GetInsuredPerson", "PreSettle", "Settle" }.Select(ExchangePaths.Medical)];
    private static readonly string[] LookupRegions = ["310000", "320000", "330100", "340000", "341021"];

    [Fact]
    public async Task OneRegionBlackHoled_OtherRegionsAllAnswer_ItsCallsFailFastOnceItsBreakerIsOpen_AndTheBreakerClosesWhenItRecovers()
    {
        await using var environment = await GatewayEnvironment.StartAsync(options => SettlementFaultRun.ForRun(options) with
        {
            Resilience = options.Resilience with
            {
                Overrides =
                [
                    new ResilienceOverrideOptions
                    {
                        Region = BlackHoled,
                        AttemptTimeout = TimeSpan.FromMilliseconds(300),
                        Bulkhead = new BulkheadOptions { PermitLimit = 4, QueueLimit = 4 },
                        // Long enough that no probe goes out while the test checks the open breaker.
                        CircuitBreaker = new CircuitBreakerOptions { MinimumThroughput = 4, FailureRatio = 0.5, BreakDuration = TimeSpan.FromSeconds(8) },
                    },
                ],
            },
        });
        var zhejiang = environment.Regions[BlackHoled];
        var client = SettlementRequests.HospitalClient(environment);
        var resilience = environment.Gateway.Services.GetRequiredService<OutboundResilience>();
        var bulkhead = resilience.Regions.Single(r => r.Route.Code == BlackHoled);
        var others = new OtherRegionsTraffic(environment, client);
        // One call alone first, so that the hospital's certificate is verified before calls come in bursts (ConcurrentCallerVerificationTests).
        await client.GetInsuredPersonAsync(SettlementRequests.InsuredPerson(environment.Regions["341021"].Population));
        zhejiang.Faults.Set(new FaultSettings { BlackHole = true });

        // 1. Black hole, breaker closed: twelve look-ups at once. Each ends by an attempt timeout (the gateway's
        //    retries included), a full bulkhead or, once enough attempts have failed, the open breaker — while the
        //    other regions are called all along.
        var burst = Enumerable.Range(0, 12)
            .Select(i => EndOf(() => client.GetInsuredPersonAsync(SettlementRequests.InsuredPerson(zhejiang.Population, i), deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync))
            .ToArray();
        var duringBurst = await others.WhileAsync(Task.WhenAll(burst));
        var burstEndings = burst.Select(t => t.Result).ToArray();
        var sequential = 0;
        while (State(resilience) != CircuitState.Open && sequential < 20)
        {
            sequential++;
            burstEndings = [.. burstEndings, await EndOf(() => client.GetInsuredPersonAsync(
                SettlementRequests.InsuredPerson(zhejiang.Population, sequential), deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync)];
        }

        output.WriteLine($"black hole, breaker closed: {Describe(burstEndings)}; {sequential} more calls one by one until the breaker opened");
        output.WriteLine($"other regions meanwhile: {duringBurst.Answered} answered of {duringBurst.Calls}");
        Assert.Equal(CircuitState.Open, State(resilience));
        Assert.All(burstEndings, e => Assert.Contains(e.Ending, new[] { Ending.GatewayDeadline, Ending.FailedFast }));
        Assert.Contains(burstEndings, e => e.Reason == ResilienceRejections.RegionSaturated);
        Assert.InRange(zhejiang.Statistics.ReceivedBy(MedicalPaths[0]), 4, (12 + sequential) * 3);
        duringBurst.AssertAllAnswered();

        // 2. Breaker open: every call to Zhejiang, of any kind, is refused at once (CIRCUIT_OPEN, nothing sent, no
        //    bulkhead permit held), while the other regions keep answering.
        var contacted = MedicalPaths.Sum(zhejiang.Statistics.ReceivedBy);
        var settleWhileOpen = Bill.For(0, BlackHoled, Seeded.ActiveEmployee(zhejiang.Population, minimumBalance: 100_00).CitizenId);
        var recordedBefore = Settlements.Recorded(zhejiang);
        var refusals = new List<Task<(Ending Ending, string? Reason)>>();
        for (var i = 0; i < 5; i++)
        {
            refusals.Add(EndOf(() => client.GetInsuredPersonAsync(SettlementRequests.InsuredPerson(zhejiang.Population, i), deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync));
            refusals.Add(EndOf(() => client.PreSettleAsync(SettlementRequests.PreSettle(zhejiang.Population, i), deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync));
        }

        refusals.Add(EndOf(() => Settlements.SendAsync(environment.ChannelFor(TestParticipants.Hospital), settleWhileOpen.Request, DateTime.UtcNow.AddSeconds(5)), sideEffecting: true));
        var whileOpen = await others.WhileAsync(Task.WhenAll(refusals));

        output.WriteLine($"black hole, breaker open: {Describe([.. refusals.Select(t => t.Result)])}; partner contacted {MedicalPaths.Sum(zhejiang.Statistics.ReceivedBy) - contacted} times");
        output.WriteLine($"other regions meanwhile: {whileOpen.Answered} answered of {whileOpen.Calls}");
        Assert.All(refusals, t => Assert.Equal((Ending.FailedFast, ResilienceRejections.CircuitOpen), t.Result));
        Assert.Equal(contacted, MedicalPaths.Sum(zhejiang.Statistics.ReceivedBy));
        Assert.Equal(CircuitState.Open, State(resilience));
        Assert.Equal((0, 0), bulkhead.BulkheadLoad);
        whileOpen.AssertAllAnswered();

        // 3. Zhejiang answers again: once the break is over the next call probes it, and its answer closes the breaker.
        zhejiang.Faults.Set(new FaultSettings());
        var probes = await Eventually.AnsweredAsync(() => client.GetInsuredPersonAsync(
            SettlementRequests.InsuredPerson(zhejiang.Population), deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync);

        output.WriteLine($"recovered: answered after {probes} calls");
        Assert.Equal(CircuitState.Closed, State(resilience));
        var health = await environment.Gateway.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, health.Entries["partner-circuits"].Status);

        // The settlement refused while the breaker was open was not sent: its msgid is free, and it settles now, once.
        var settled = SettleResponse.Parser.ParseFrom(await Settlements.SendAsync(environment.ChannelFor(TestParticipants.Hospital), settleWhileOpen.Request, DateTime.UtcNow.AddSeconds(5)));
        Assert.Equal(settleWhileOpen.RequestId, settled.Settlement.RequestId);
        Assert.Equal(recordedBefore + 1, Settlements.Recorded(zhejiang));
        using var direct = environment.ChannelToRegion(BlackHoled);
        var atPartner = await new Client(direct).GetSettlementAsync(new GetSettlementRequest
        {
            InsuredRegion = BlackHoled, RequestId = settleWhileOpen.RequestId, Purpose = Exchange.Contracts.V1.PurposeOfUse.MedicalSettlement,
        });
        Assert.Equal(settled.Settlement, atPartner.Settlement);
    }

    private static CircuitState State(OutboundResilience resilience) => resilience.Circuits().Single(c => c.Region == BlackHoled).State;

    private static async Task<(Ending Ending, string? Reason)> EndOf(Func<Task> call, bool sideEffecting = false)
    {
        try
        {
            await call();
            return (Ending.Succeeded, null);
        }
        catch (RpcException e)
        {
            return (Endings.Of(e, sideEffecting), ResilienceErrors.ReasonOf(e));
        }
    }

    private static string Describe(IEnumerable<(Ending Ending, string? Reason)> endings) =>
        string.Join(", ", endings.GroupBy(e => e).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key.Ending}{(g.Key.Reason is null ? "" : "/" + g.Key.Reason)}"));

    /// <summary>
    /// Calls to every region but the black-holed one, four at a time, for as long as something else goes on: look-ups
    /// everywhere, and settlements (each under its own msgid) in the partner regions that settle the county's bills.
    /// </summary>
    private sealed class OtherRegionsTraffic(GatewayEnvironment environment, Client client)
    {
        private int _next;

        public async Task<Tally> WhileAsync(Task other)
        {
            var tally = new Tally();
            var workers = Enumerable.Range(0, 4).Select(async _ =>
            {
                // At least one round each, however quickly the other thing ends.
                do
                {
                    var n = Interlocked.Increment(ref _next);
                    var region = LookupRegions[n % LookupRegions.Length];
                    var population = environment.Regions[region].Population;
                    await tally.CountAsync($"{region} GetInsuredPerson", () => client.GetInsuredPersonAsync(
                        SettlementRequests.InsuredPerson(population, n), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
                    if (region is "310000" or "320000" or "330100")
                    {
                        var bill = Bill.For(1_000 + n, region, Seeded.ActiveEmployee(population, minimumBalance: 100_00, skip: n % 5).CitizenId);
                        await tally.CountAsync($"{region} Settle", () => Settlements.SendAsync(
                            environment.ChannelFor(TestParticipants.Hospital), bill.Request, DateTime.UtcNow.AddSeconds(10)));
                    }
                }
                while (!other.IsCompleted);
            });
            await Task.WhenAll([other, .. workers]);
            return tally;
        }
    }

    private sealed class Tally
    {
        private readonly List<string> _failures = [];
        private int _calls;
        private int _answered;

        public int Calls => Volatile.Read(ref _calls);

        public int Answered => Volatile.Read(ref _answered);

        public async Task CountAsync(string what, Func<Task> call)
        {
            Interlocked.Increment(ref _calls);
            try
            {
                await call();
                Interlocked.Increment(ref _answered);
            }
            catch (RpcException e)
            {
                lock (_failures)
                {
                    _failures.Add($"{what}: {e.StatusCode} {e.Status.Detail}");
                }
            }
        }

        public void AssertAllAnswered()
        {
            Assert.True(Calls > 0, "no call to the other regions was made");
            Assert.True(_failures.Count == 0, "calls to other regions failed:\n" + string.Join("\n", _failures.Take(10)));
        }
    }
}
