using Exchange.Gateway.Configuration;
using Exchange.Gateway.Resilience;
using Exchange.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>The "Resilience" section: validated at start with every error naming its entry; overrides resolved per route and endpoint.</summary>
public sealed class ResilienceOptionsValidatorTests
{
    private const string Shanghai1 = "https://sh-1.example:7001";
    private const string Shanghai2 = "https://sh-2.example:7002";

    [Fact]
    public void Validate_Defaults_HaveNoErrors()
    {
        Assert.Empty(GatewayOptionsValidator.Validate(Valid()));
    }

    [Fact]
    public void Validate_ResilienceMistakes_ReportsEveryErrorNamingTheEntry()
    {
        var options = Valid() with
        {
            Resilience = new ResilienceOptions
            {
                AttemptTimeout = TimeSpan.FromMilliseconds(5),
                Retry = new RetryOptions { MaxAttempts = 0, MaxDelay = TimeSpan.FromMilliseconds(50) },
                RetryBudget = new RetryBudgetOptions { TokenRatio = 0 },
                CircuitBreaker = new CircuitBreakerOptions { MinimumThroughput = 1, BreakDuration = TimeSpan.FromMilliseconds(100) },
                Hedging = new HedgingOptions { MaxHedgedAttempts = 11 },
                Bulkhead = new BulkheadOptions { PermitLimit = 0, QueueLimit = -1 },
                RateLimit = new RateLimitOptions
                {
                    TokensPerPeriod = 0,
                    Participants =
                    [
                        new ParticipantRateLimitOptions { Participant = "nobody" },
                        new ParticipantRateLimitOptions { Participant = TestParticipants.Hospital, TokenLimit = 0 },
                        new ParticipantRateLimitOptions { Participant = TestParticipants.Hospital },
                    ],
                },
                Overrides =
                [
                    new ResilienceOverrideOptions { Region = "110000", AttemptTimeout = TimeSpan.FromSeconds(1) },
                    new ResilienceOverrideOptions { Region = "310000", Retry = new RetryOptions { MaxAttempts = 6 } },
                    new ResilienceOverrideOptions { Region = "310000", Hedging = new HedgingOptions() },
                    new ResilienceOverrideOptions { Region = "310000", Endpoint = "https://elsewhere.example:7001", Retry = new RetryOptions() },
                    new ResilienceOverrideOptions { Region = "341021", Hedging = new HedgingOptions() },
                    new ResilienceOverrideOptions { Region = "310000", Endpoint = Shanghai1 },
                ],
            },
        };

        Assert.Equal(
            [
                "Resilience.AttemptTimeout: 00:00:00.0050000 must be between 10 ms and 1 day",
                "Resilience.Retry.MaxAttempts: 0 must be between 1 (no retry) and 5",
                "Resilience.Retry.MaxDelay: 00:00:00.0500000 must be at least BaseDelay (00:00:00.1000000) and at most 1 day",
                "Resilience.RetryBudget.TokenRatio: 0 must be above 0 and at most 1",
                "Resilience.CircuitBreaker.MinimumThroughput: 1 must be at least 2",
                "Resilience.CircuitBreaker.BreakDuration: 00:00:00.1000000 must be between 0.5 s and 1 day",
                "Resilience.Hedging.MaxHedgedAttempts: 11 must be between 1 and 10",
                "Resilience.Bulkhead.PermitLimit: 0 must be at least 1",
                "Resilience.Bulkhead.QueueLimit: -1 must not be negative",
                "Resilience.RateLimit.TokensPerPeriod: 0 must be at least 1",
                "Resilience.RateLimit.Participants[nobody].Participant: 'nobody' is not a configured participant",
                "Resilience.RateLimit.Participants[county-hospital].TokenLimit: 0 must be at least 1",
                "Resilience.RateLimit.Participants[county-hospital]: the participant's limit is given twice",
                "Resilience.Overrides[110000].Region: '110000' is not a configured route",
                "Resilience.Overrides[310000].Retry.MaxAttempts: 6 must be between 1 (no retry) and 5",
                "Resilience.Overrides[310000]: overridden twice",
                "Resilience.Overrides[310000 https://elsewhere.example:7001].Endpoint: 'https://elsewhere.example:7001' is not an endpoint of route 310000",
                "Resilience.Overrides[310000 https://elsewhere.example:7001]: an endpoint override may only set AttemptTimeout and CircuitBreaker; Retry, RetryBudget, Hedging and Bulkhead act on the whole route",
                "Resilience.Overrides[341021].Hedging.MaxHedgedAttempts: 1 needs 2 endpoints; route 341021 has 1 (set Enabled false to hedge nothing)",
                $"Resilience.Overrides[310000 {Shanghai1}]: sets nothing",
            ],
            GatewayOptionsValidator.Validate(options));
    }

    [Fact]
    public void Settings_EndpointOverrideWinsOverRouteOverride_WhichWinsOverTheGeneralValues()
    {
        var breaker = new CircuitBreakerOptions { MinimumThroughput = 5 };
        var options = new ResilienceOptions
        {
            AttemptTimeout = TimeSpan.FromSeconds(10),
            Overrides =
            [
                new ResilienceOverrideOptions { Region = "310000", AttemptTimeout = TimeSpan.FromSeconds(3), Retry = new RetryOptions { MaxAttempts = 5 } },
                new ResilienceOverrideOptions { Region = "310000", Endpoint = Shanghai2 + "/", CircuitBreaker = breaker },
            ],
        };

        var route = ResilienceSettings.ForRoute(options, "310000");
        var first = ResilienceSettings.ForEndpoint(options, "310000", new Uri(Shanghai1));
        var second = ResilienceSettings.ForEndpoint(options, "310000", new Uri(Shanghai2));
        var other = ResilienceSettings.ForEndpoint(options, "320000", new Uri("https://js.example:7003"));

        Assert.Equal(5, route.Retry.MaxAttempts);
        Assert.Same(options.Bulkhead, route.Bulkhead);
        Assert.Equal(new EndpointSettings(TimeSpan.FromSeconds(3), options.CircuitBreaker), first);
        Assert.Equal(new EndpointSettings(TimeSpan.FromSeconds(3), breaker), second);
        Assert.Equal(new EndpointSettings(TimeSpan.FromSeconds(10), options.CircuitBreaker), other);
        Assert.Equal(3, ResilienceSettings.ForRoute(options, "320000").Retry.MaxAttempts);
    }

    [Fact]
    public void Binding_ResilienceSectionFromConfiguration_FillsOverridesAndParticipantLimits()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Exchange:Resilience:AttemptTimeout"] = "00:00:05",
            ["Exchange:Resilience:Retry:MaxAttempts"] = "4",
            ["Exchange:Resilience:RateLimit:Participants:0:Participant"] = "county-hospital",
            ["Exchange:Resilience:RateLimit:Participants:0:TokensPerPeriod"] = "50",
            ["Exchange:Resilience:Overrides:0:Region"] = "310000",
            ["Exchange:Resilience:Overrides:0:Bulkhead:PermitLimit"] = "10",
            ["Exchange:Resilience:Overrides:1:Region"] = "310000",
            ["Exchange:Resilience:Overrides:1:Endpoint"] = Shanghai1,
            ["Exchange:Resilience:Overrides:1:CircuitBreaker:BreakDuration"] = "00:01:00",
        }).Build();

        var resilience = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>()!.Resilience;

        Assert.Equal(TimeSpan.FromSeconds(5), resilience.AttemptTimeout);
        Assert.Equal(4, resilience.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(100), resilience.Retry.BaseDelay);
        Assert.Equal(50, Assert.Single(resilience.RateLimit.Participants).TokensPerPeriod);
        Assert.Equal(10, resilience.Overrides[0].Bulkhead!.PermitLimit);
        Assert.Null(resilience.Overrides[0].Retry);
        Assert.Equal(Shanghai1, resilience.Overrides[1].Endpoint);
        Assert.Equal(TimeSpan.FromMinutes(1), resilience.Overrides[1].CircuitBreaker!.BreakDuration);
    }

    private static GatewayOptions Valid() => new()
    {
        Sandbox = new SandboxOptions { Enabled = true },
        Regions =
        [
            new RegionOptions { Code = "341021", Endpoints = ["https://county.example:7000"] },
            new RegionOptions { Code = "310000", Endpoints = [Shanghai1, Shanghai2] },
        ],
        Participants = TestParticipants.Configured(),
    };
}
