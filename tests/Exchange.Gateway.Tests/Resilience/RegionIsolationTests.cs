using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.Sim.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Resilience;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.PartnerSim.Hosting;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>
/// On real sockets: a black-holed region takes no more than its bulkhead while every other region keeps answering;
/// a region with two endpoints answers NO_SIDE_EFFECTS calls from the fast one by hedging; a participant beyond its
/// rate limit is told when to retry. Counts and states, not elapsed time.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class RegionIsolationTests(ITestOutputHelper output)
{
    private static readonly string InsuredPersonPath = ExchangePaths.Medical("GetInsuredPerson");
    private static readonly string PreSettlePath = ExchangePaths.Medical("PreSettle");
    private static readonly string[] OtherRegions = ["310000", "320000", "330100", "340000", "341021"];

    [Fact]
    public async Task RegionBlackHoled_ItsCallsFillOnlyItsBulkhead_AndEveryOtherRegionStillAnswers()
    {
        await using var environment = await GatewayEnvironment.StartAsync(options => options with
        {
            Resilience = options.Resilience with
            {
                Overrides =
                [
                    new ResilienceOverrideOptions
                    {
                        Region = "330000",
                        Bulkhead = new BulkheadOptions { PermitLimit = 4, QueueLimit = 2 },
                        CircuitBreaker = new CircuitBreakerOptions { Enabled = false },
                    },
                ],
            },
        });
        var zhejiang = environment.Regions["330000"];
        zhejiang.Faults.Set(new FaultSettings { BlackHole = true });
        var client = SettlementRequests.HospitalClient(environment);
        var bulkhead = environment.Gateway.Services.GetRequiredService<OutboundResilience>().Regions.Single(r => r.Route.Code == "330000");
        using var giveUp = new CancellationTokenSource();

        var held = Enumerable.Range(0, 10)
            .Select(i => client.GetInsuredPersonAsync(
                SettlementRequests.InsuredPerson(zhejiang.Population, i), deadline: DateTime.UtcNow.AddMinutes(1), cancellationToken: giveUp.Token).ResponseAsync)
            .ToArray();

        // Four in flight at the partner, two waiting, the other four refused at once and never sent.
        await Eventually.True(() => held.Count(t => t.IsCompleted) == 4 && zhejiang.Statistics.ReceivedBy(InsuredPersonPath) == 4, "the bulkhead is full");
        foreach (var refused in held.Where(t => t.IsCompleted))
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => refused);
            var info = ResilienceErrors.AssertRefusal(error, StatusCode.Unavailable, ResilienceRejections.RegionSaturated);
            Assert.Equal("330000", info.Metadata["region"]);
        }

        Assert.Equal((4, 2), bulkhead.BulkheadLoad);

        var others = OtherRegions
            .SelectMany(code => Enumerable.Range(0, 4).Select(i => client.GetInsuredPersonAsync(
                SettlementRequests.InsuredPerson(environment.Regions[code].Population, i), deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync))
            .ToArray();
        var answers = await Task.WhenAll(others);

        Assert.Equal(20, answers.Length);
        Assert.All(answers, answer => Assert.NotNull(answer.Person));
        // Still held while the others were answered: the black hole never had more than its share.
        Assert.Equal(6, held.Count(t => !t.IsCompleted));
        Assert.Equal((4, 2), bulkhead.BulkheadLoad);
        Assert.Equal(4, zhejiang.Statistics.ReceivedBy(InsuredPersonPath));

        await giveUp.CancelAsync();
        foreach (var call in held)
        {
            await Assert.ThrowsAsync<RpcException>(() => call);
        }
    }

    [Fact]
    public async Task RegionWithTwoEndpointsOneSlow_PreSettleIsAnsweredByTheFastOneThroughHedging()
    {
        // A second Shanghai endpoint (h2c, the same seeded population), next to the environment's own, which is slowed.
        await using var fast = await PartnerRegionHost.StartAsync(new PartnerRegionOptions { RegionCode = "310000", ResidentCount = 60 });
        await using var environment = await GatewayEnvironment.StartAsync(options => options with
        {
            Regions = [.. options.Regions.Select(r => r.Code == "310000" ? r with { Endpoints = [.. r.Endpoints, fast.Address.ToString()] } : r)],
            Resilience = options.Resilience with
            {
                Overrides = [new ResilienceOverrideOptions { Region = "310000", Hedging = new HedgingOptions { Delay = TimeSpan.FromMilliseconds(200) } }],
            },
        });
        var slow = environment.Regions["310000"];
        slow.Faults.Set(new FaultSettings { Latency = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)), LatencyRate = 1 });
        var client = SettlementRequests.HospitalClient(environment);

        const int Calls = 6;
        var answers = new List<PreSettleResponse>();
        for (var i = 0; i < Calls; i++)
        {
            // Completing at all proves the fast endpoint answered: the slow one would take five minutes.
            answers.Add(await client.PreSettleAsync(SettlementRequests.PreSettle(slow.Population, i), deadline: DateTime.UtcNow.AddSeconds(20)));
        }

        var fastStats = Stats(fast, PreSettlePath);
        var slowStats = Stats(slow, PreSettlePath);
        output.WriteLine($"fast endpoint: received {fastStats.Received}, answered {fastStats.Succeeded}; slow endpoint: received {slowStats.Received}, answered {slowStats.Succeeded}");
        Assert.All(answers, a => Assert.True(a.Amounts.Total.Fen > 0));
        Assert.Equal(Calls, fastStats.Received);
        Assert.Equal(Calls, fastStats.Succeeded);
        // Round-robin sent some first attempts to the slow endpoint; each was hedged to the fast one and cancelled.
        Assert.InRange(slowStats.Received, 1, Calls - 1);
        Assert.Equal(0, slowStats.Succeeded);
    }

    [Fact]
    public async Task ParticipantBeyondItsRateLimit_IsResourceExhaustedWithRetryInfo_AndNothingIsForwarded()
    {
        await using var environment = await GatewayEnvironment.StartAsync(options => options with
        {
            Resilience = options.Resilience with
            {
                RateLimit = options.Resilience.RateLimit with
                {
                    Participants =
                    [
                        new ParticipantRateLimitOptions
                        {
                            Participant = TestParticipants.Hospital, TokenLimit = 3, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromHours(1),
                        },
                    ],
                },
            },
        });
        var shanghai = environment.Regions["310000"];
        var hospital = SettlementRequests.HospitalClient(environment);
        var clinic = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.ShanghaiOnlyClinic));

        for (var i = 0; i < 3; i++)
        {
            await hospital.PreSettleAsync(SettlementRequests.PreSettle(shanghai.Population, i));
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => hospital.PreSettleAsync(SettlementRequests.PreSettle(shanghai.Population, 3)).ResponseAsync);

        var info = ResilienceErrors.AssertRefusal(error, StatusCode.ResourceExhausted, ResilienceRejections.RateLimited);
        Assert.Equal(TestParticipants.Hospital, info.Metadata["participant"]);
        var retry = error.GetRpcStatus()?.GetDetail<Google.Rpc.RetryInfo>();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Equal(3, shanghai.Statistics.ReceivedBy(PreSettlePath));

        // Another participant has its own bucket.
        await clinic.PreSettleAsync(SettlementRequests.PreSettle(shanghai.Population, 4));
        Assert.Equal(4, shanghai.Statistics.ReceivedBy(PreSettlePath));
    }

    private static MethodStats Stats(PartnerRegionHost region, string path) =>
        region.Statistics.Snapshot().SingleOrDefault(s => s.Path == path) ?? new MethodStats { Path = path };
}
