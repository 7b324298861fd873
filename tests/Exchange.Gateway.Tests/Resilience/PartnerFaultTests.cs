using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.Sim.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Resilience;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.PartnerSim.Hosting;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;
using Xunit.Abstractions;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>
/// A real gateway in front of real simulated partners on TLS sockets, with the simulators' fault injection: a partner
/// failing 30% of calls, a stopped partner, a black-holed partner. Assertions are on counts and states (what each
/// simulator received, breaker states, error reasons), never on elapsed time.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class PartnerFaultTests(ITestOutputHelper output)
{
    private static readonly string PreSettlePath = ExchangePaths.Medical("PreSettle");
    private static readonly string SettlePath = ExchangePaths.Medical("Settle");
    private static readonly string InsuredPersonPath = ExchangePaths.Medical("GetInsuredPerson");

    [Fact]
    public async Task PartnerFailing30Percent_PreSettleAlmostAlwaysSucceedsThroughRetries_WhileEachSettleIsSentExactlyOnce()
    {
        await using var environment = await GatewayEnvironment.StartAsync();
        var shanghai = environment.Regions["310000"];
        shanghai.Faults.Set(new FaultSettings { Errors = { new ErrorFault { StatusCode = (int)StatusCode.Unavailable, Rate = 0.3 } } });
        var client = SettlementRequests.HospitalClient(environment);

        const int PreSettles = 100;
        var preSettled = 0;
        for (var i = 0; i < PreSettles; i++)
        {
            try
            {
                await client.PreSettleAsync(SettlementRequests.PreSettle(shanghai.Population, i), deadline: DateTime.UtcNow.AddSeconds(10));
                preSettled++;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
            }
        }

        // Settlements have side effects: an UNAVAILABLE after the request reached the partner is never resent.
        const int Settles = 30;
        var settled = 0;
        for (var i = 0; i < Settles; i++)
        {
            try
            {
                await client.SettleAsync(SettlementRequests.Settle(shanghai.Population, i), deadline: DateTime.UtcNow.AddSeconds(10));
                settled++;
            }
            catch (RpcException)
            {
            }
        }

        var preSettleAttempts = shanghai.Statistics.ReceivedBy(PreSettlePath);
        output.WriteLine($"PreSettle: {PreSettles} calls, {preSettled} succeeded, {preSettleAttempts} attempts at the partner");
        output.WriteLine($"Settle: {Settles} calls, {settled} succeeded, {shanghai.Statistics.ReceivedBy(SettlePath)} received by the partner");
        Assert.InRange(preSettled, 95, PreSettles);
        Assert.InRange(preSettleAttempts, PreSettles + 1, PreSettles * 3);
        Assert.Equal(Settles, shanghai.Statistics.ReceivedBy(SettlePath));
        Assert.InRange(settled, 1, Settles - 1);
        Assert.Equal(CircuitState.Closed, EndpointState(environment, "310000"));
    }

    [Fact]
    public async Task PartnerStopped_BreakerOpensAndCallsFailFastWithCircuitOpen_ThenClosesWhenThePartnerIsBack()
    {
        await using var environment = await GatewayEnvironment.StartAsync(options => WithBreaker(options, "320000"));
        var jiangsu = environment.Regions["320000"];
        var endpoint = jiangsu.Address;
        var client = SettlementRequests.HospitalClient(environment);
        await jiangsu.StopAsync();

        // Refused connections fail each call UNAVAILABLE (after retries: they never reached the partner) until the
        // breaker has seen enough of them.
        var (calls, refusal) = await CallsUntilTheBreakerRefusesAsync(
            20,
            _ => client.GetInsuredPersonAsync(SettlementRequests.InsuredPerson(jiangsu.Population), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync,
            StatusCode.Unavailable);
        output.WriteLine($"breaker open after {calls} calls to the stopped partner");
        var info = ResilienceErrors.AssertRefusal(refusal, StatusCode.Unavailable, ResilienceRejections.CircuitOpen);
        Assert.Equal("320000", info.Metadata["region"]);
        Assert.Equal(endpoint.ToString(), info.Metadata["endpoint"]);
        Assert.Equal(CircuitState.Open, EndpointState(environment, "320000"));
        Assert.Equal([$"320000 {endpoint} 1"], Gauge(environment).Where(g => g.StartsWith("320000", StringComparison.Ordinal)));

        // The gateway stays SERVING (every other region works), and its health report names the failing endpoint.
        var health = new Health.HealthClient(environment.ChannelFor(TestParticipants.Hospital));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        var report = await environment.Gateway.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, report.Entries["partner-circuits"].Status);
        Assert.Equal($"circuit not closed: region 320000 endpoint {endpoint} Open", report.Entries["partner-circuits"].Description);

        await using var restarted = await PartnerRegionHost.StartAsync(jiangsu.Options with { Port = endpoint.Port });
        var answered = await Eventually.AnsweredAsync(() => client.GetInsuredPersonAsync(
            SettlementRequests.InsuredPerson(jiangsu.Population), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);

        output.WriteLine($"answered again after {answered} more calls");
        Assert.Equal(CircuitState.Closed, EndpointState(environment, "320000"));
        Assert.True(restarted.Statistics.ReceivedBy(InsuredPersonPath) >= 1);
        Assert.Equal([$"320000 {endpoint} 0"], Gauge(environment).Where(g => g.StartsWith("320000", StringComparison.Ordinal)));
        report = await environment.Gateway.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries["partner-circuits"].Status);
    }

    [Fact]
    public async Task PartnerBlackHoled_BreakerOpensAndThePartnerIsNotContactedWhileOpen_ThenClosesOnceItAnswersAgain()
    {
        await using var environment = await GatewayEnvironment.StartAsync(options => WithBreaker(options, "330000", attemptTimeout: TimeSpan.FromMilliseconds(300)));
        var zhejiang = environment.Regions["330000"];
        var client = SettlementRequests.HospitalClient(environment);
        zhejiang.Faults.Set(new FaultSettings { BlackHole = true });

        // Attempts time out (and are retried while the deadline allows) until the breaker has seen enough of them.
        var (calls, _) = await CallsUntilTheBreakerRefusesAsync(
            20,
            _ => client.GetInsuredPersonAsync(SettlementRequests.InsuredPerson(zhejiang.Population), deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync,
            StatusCode.DeadlineExceeded);
        var contacted = zhejiang.Statistics.ReceivedBy(InsuredPersonPath);
        output.WriteLine($"breaker open after {calls} calls and {contacted} attempts at the black-holed partner");

        for (var i = 0; i < 5; i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => client.GetInsuredPersonAsync(
                SettlementRequests.InsuredPerson(zhejiang.Population), deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync);
            ResilienceErrors.AssertRefusal(error, StatusCode.Unavailable, ResilienceRejections.CircuitOpen);
        }

        Assert.Equal(contacted, zhejiang.Statistics.ReceivedBy(InsuredPersonPath));

        zhejiang.Faults.Set(new FaultSettings());
        await Eventually.AnsweredAsync(() => client.GetInsuredPersonAsync(
            SettlementRequests.InsuredPerson(zhejiang.Population), deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync);

        Assert.Equal(CircuitState.Closed, EndpointState(environment, "330000"));
        Assert.True(zhejiang.Statistics.ReceivedBy(InsuredPersonPath) > contacted);
    }

    [Fact]
    public async Task PartnerBlackHoledForSettlements_BreakerOpensOnSettlementsThatRanOutOfTime_EachSentOnce()
    {
        // A settlement has no attempt timeout, so only its deadline ends it: those that run out of time unanswered are
        // the endpoint's failures, and the breaker stops the next ones from waiting out their deadlines too.
        await using var environment = await GatewayEnvironment.StartAsync(options => WithBreaker(options, "330000"));
        var zhejiang = environment.Regions["330000"];
        var client = SettlementRequests.HospitalClient(environment);
        zhejiang.Faults.Set(new FaultSettings { BlackHole = true });

        // Out of time after reaching the partner, a settlement is answered ABORTED (outcome unknown) by the exactly-once
        // layer; DEADLINE_EXCEEDED if the caller's own deadline wins the race.
        var (calls, _) = await CallsUntilTheBreakerRefusesAsync(
            10,
            n => client.SettleAsync(SettlementRequests.Settle(zhejiang.Population, n), deadline: DateTime.UtcNow.AddSeconds(1)).ResponseAsync,
            StatusCode.Aborted,
            StatusCode.DeadlineExceeded);
        output.WriteLine($"breaker open after {calls} settlements");
        // Every settlement that ran out of time reached the partner once and was never resent; the refused one never left.
        Assert.Equal(calls - 1, zhejiang.Statistics.ReceivedBy(SettlePath));
        Assert.Equal(CircuitState.Open, EndpointState(environment, "330000"));
    }

    [Fact]
    public async Task PartnerSlowerThanTheAttemptTimeout_LookupsAreTriedThreeTimesWithinTheDeadline_WhileASettlementWaitsForItsAnswer()
    {
        await using var environment = await GatewayEnvironment.StartAsync(options => options with
        {
            Resilience = options.Resilience with
            {
                Overrides =
                [
                    new ResilienceOverrideOptions
                    {
                        Region = "310000", AttemptTimeout = TimeSpan.FromMilliseconds(300), CircuitBreaker = new CircuitBreakerOptions { Enabled = false },
                    },
                ],
            },
        });
        var shanghai = environment.Regions["310000"];
        shanghai.Faults.Set(new FaultSettings { Latency = Duration.FromTimeSpan(TimeSpan.FromSeconds(2)), LatencyRate = 1 });
        var client = SettlementRequests.HospitalClient(environment);

        await GatewayAssert.FailsWith(StatusCode.DeadlineExceeded, "region 310000 did not answer within the gateway's attempt timeout of 0.3 s", () =>
            client.GetInsuredPersonAsync(SettlementRequests.InsuredPerson(shanghai.Population), deadline: DateTime.UtcNow.AddSeconds(8)).ResponseAsync);
        Assert.Equal(3, shanghai.Statistics.ReceivedBy(InsuredPersonPath));

        // A settlement has no attempt timeout: cutting it short would make its outcome unknown. It waits, and is answered.
        var settled = await client.SettleAsync(SettlementRequests.Settle(shanghai.Population, 1), deadline: DateTime.UtcNow.AddSeconds(8));
        Assert.Equal(SettlementState.Settled, settled.Settlement.State);
        Assert.Equal(1, shanghai.Statistics.ReceivedBy(SettlePath));
    }

    /// <summary>
    /// Makes calls one after another until one is refused by an open breaker (CIRCUIT_OPEN), each before it failing
    /// with one of <paramref name="failures"/>; returns how many calls that took (the refused one included) and the refusal.
    /// </summary>
    private static async Task<(int Calls, RpcException Refusal)> CallsUntilTheBreakerRefusesAsync(int most, Func<int, Task> call, params StatusCode[] failures)
    {
        for (var n = 1; n <= most; n++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => call(n));
            if (ResilienceErrors.ReasonOf(error) == ResilienceRejections.CircuitOpen)
            {
                return (n, error);
            }

            Assert.True(failures.Contains(error.StatusCode), $"{error.StatusCode}: {error.Status.Detail}");
        }

        throw new Xunit.Sdk.XunitException($"the breaker refused none of {most} calls");
    }

    /// <summary>A breaker that opens after 4 failed attempts and probes after 1 s, on one route.</summary>
    private static GatewayOptions WithBreaker(GatewayOptions options, string region, TimeSpan? attemptTimeout = null) => options with
    {
        Resilience = options.Resilience with
        {
            Overrides =
            [
                new ResilienceOverrideOptions
                {
                    Region = region,
                    AttemptTimeout = attemptTimeout,
                    CircuitBreaker = new CircuitBreakerOptions { MinimumThroughput = 4, FailureRatio = 0.5, BreakDuration = TimeSpan.FromSeconds(1) },
                },
            ],
        },
    };

    private static CircuitState EndpointState(GatewayEnvironment environment, string region) =>
        Assert.Single(environment.Gateway.Services.GetRequiredService<OutboundResilience>().Circuits(), c => c.Region == region).State;

    /// <summary>The gauge exchange.gateway.circuit.state of this gateway, as "region endpoint value".</summary>
    private static string[] Gauge(GatewayEnvironment environment) =>
        CircuitGauge.Read(environment.Gateway.Services.GetRequiredService<ResilienceTelemetry>().Meter);
}
