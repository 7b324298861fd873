using System.Collections.Frozen;
using Exchange.Gateway.Configuration;

namespace Exchange.Gateway.Resilience;

/// <summary>
/// The rate limit of each calling participant: one token bucket per configured participant (its own limit, or the
/// general one), taken from before anything is forwarded. A refusal is RESOURCE_EXHAUSTED with RetryInfo.
/// </summary>
internal sealed class ParticipantRateLimiter
{
    private readonly FrozenDictionary<string, TokenBucket> _buckets;
    private readonly ResilienceTelemetry _telemetry;
    private readonly ILogger _logger;

    public ParticipantRateLimiter(GatewayOptions options, TimeProvider time, ResilienceTelemetry telemetry, ILogger<ParticipantRateLimiter> logger)
    {
        _telemetry = telemetry;
        _logger = logger;
        var general = options.Resilience.RateLimit;
        var buckets = new Dictionary<string, TokenBucket>(StringComparer.Ordinal);
        foreach (var participant in options.Participants)
        {
            var own = general.Participants.FirstOrDefault(p => p.Participant == participant.Id);
            if (own is not null)
            {
                if (own.Enabled)
                {
                    buckets[participant.Id] = new TokenBucket(time, own.TokenLimit, own.TokensPerPeriod, own.ReplenishmentPeriod);
                }
            }
            else if (general.Enabled)
            {
                buckets[participant.Id] = new TokenBucket(time, general.TokenLimit, general.TokensPerPeriod, general.ReplenishmentPeriod);
            }
        }

        _buckets = buckets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Takes one exchange from <paramref name="participantId"/>'s limit.</summary>
    /// <exception cref="RefusedBeforeSendingException">RESOURCE_EXHAUSTED (RATE_LIMITED, with RetryInfo): the limit is used up.</exception>
    public void Admit(string participantId)
    {
        if (!_buckets.TryGetValue(participantId, out var bucket) || bucket.TryTake(out var retryAfter))
        {
            return;
        }

        _telemetry.RateLimited(participantId);
        ResilienceLog.RateLimited(_logger, participantId, retryAfter);
        throw ResilienceRejections.ParticipantRateLimited(participantId, retryAfter);
    }
}
