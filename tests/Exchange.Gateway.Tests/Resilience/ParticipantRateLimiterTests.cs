using Exchange.Gateway.Configuration;
using Exchange.Gateway.Resilience;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>The rate limit per calling participant, on a fake clock: a token bucket answered with RetryInfo.</summary>
public sealed class ParticipantRateLimiterTests : IDisposable
{
    private const string Hospital = "county-hospital";
    private const string Clinic = "county-clinic";
    private const string Archive = "county-archive";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly TestMeterFactory _meters = new();

    public void Dispose() => _meters.Dispose();

    [Fact]
    public void Admit_BeyondTheBucket_IsResourceExhaustedWithRetryInfoUntilTheNextRefill()
    {
        var limiter = Limiter(new RateLimitOptions { TokenLimit = 2, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(10) });

        limiter.Admit(Hospital);
        limiter.Admit(Hospital);
        var refused = Assert.Throws<RefusedBeforeSendingException>(() => limiter.Admit(Hospital));

        var info = ResilienceErrors.AssertRefusal(refused, StatusCode.ResourceExhausted, "RATE_LIMITED");
        Assert.Equal(Hospital, info.Metadata["participant"]);
        Assert.Equal(TimeSpan.FromSeconds(10), RetryDelayOf(refused));
        Assert.Equal("participant 'county-hospital' exceeded its rate limit; the exchange was not forwarded; retry after 10 s", refused.Status.Detail);

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(6), RetryDelayOf(Assert.Throws<RefusedBeforeSendingException>(() => limiter.Admit(Hospital))));

        _time.Advance(TimeSpan.FromSeconds(6));
        limiter.Admit(Hospital);
        Assert.Throws<RefusedBeforeSendingException>(() => limiter.Admit(Hospital));
    }

    [Fact]
    public void Admit_AfterAQuietSpell_RefillsByWholePeriodsUpToTheBucketSize()
    {
        var limiter = Limiter(new RateLimitOptions { TokenLimit = 3, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(1) });
        for (var i = 0; i < 3; i++)
        {
            limiter.Admit(Hospital);
        }

        _time.Advance(TimeSpan.FromMinutes(5));

        for (var i = 0; i < 3; i++)
        {
            limiter.Admit(Hospital);
        }

        Assert.Throws<RefusedBeforeSendingException>(() => limiter.Admit(Hospital));
    }

    [Fact]
    public void Admit_EachParticipantHasItsOwnBucket_AndItsOwnLimitWhereConfigured()
    {
        var limiter = Limiter(new RateLimitOptions
        {
            TokenLimit = 1,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            Participants =
            [
                new ParticipantRateLimitOptions { Participant = Clinic, TokenLimit = 3, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromMinutes(1) },
                new ParticipantRateLimitOptions { Participant = Archive, Enabled = false },
            ],
        });

        limiter.Admit(Hospital);
        Assert.Throws<RefusedBeforeSendingException>(() => limiter.Admit(Hospital));
        for (var i = 0; i < 3; i++)
        {
            limiter.Admit(Clinic);
        }

        Assert.Throws<RefusedBeforeSendingException>(() => limiter.Admit(Clinic));
        for (var i = 0; i < 100; i++)
        {
            limiter.Admit(Archive);
        }
    }

    [Fact]
    public void Admit_RateLimitDisabled_NeverRefuses()
    {
        var limiter = Limiter(new RateLimitOptions { Enabled = false, TokenLimit = 1 });

        for (var i = 0; i < 100; i++)
        {
            limiter.Admit(Hospital);
        }
    }

    private ParticipantRateLimiter Limiter(RateLimitOptions rateLimit)
    {
        var options = new GatewayOptions
        {
            Participants = [new ParticipantOptions { Id = Hospital }, new ParticipantOptions { Id = Clinic }, new ParticipantOptions { Id = Archive }],
            Resilience = new ResilienceOptions { RateLimit = rateLimit },
        };
        return new ParticipantRateLimiter(options, _time, new ResilienceTelemetry(_meters), NullLogger<ParticipantRateLimiter>.Instance);
    }

    private static TimeSpan RetryDelayOf(RpcException error)
    {
        var retry = error.GetRpcStatus()?.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        return retry.RetryDelay.ToTimeSpan();
    }
}
