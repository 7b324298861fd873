using System.Globalization;

namespace Exchange.Gateway.Configuration;

/// <summary>
/// Checks the "Resilience" section: every value within the range the pipelines accept, every override naming a
/// configured route (and one of its endpoints), every participant limit naming a configured participant. Errors name
/// their entry, e.g. <c>Resilience.Overrides[310000].Retry.MaxAttempts</c>.
/// </summary>
internal static class ResilienceOptionsValidator
{
    private static readonly TimeSpan ShortestTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ShortestBreakerWindow = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>Adds every error of <paramref name="options"/>'s resilience section to <paramref name="errors"/>.</summary>
    public static void Check(GatewayOptions options, List<string> errors)
    {
        var resilience = options.Resilience;
        const string Name = "Resilience";
        CheckAttemptTimeout(resilience.AttemptTimeout, $"{Name}.AttemptTimeout", errors);
        CheckRetry(resilience.Retry, $"{Name}.Retry", errors);
        CheckBudget(resilience.RetryBudget, $"{Name}.RetryBudget", errors);
        CheckBreaker(resilience.CircuitBreaker, $"{Name}.CircuitBreaker", errors);
        CheckHedging(resilience.Hedging, $"{Name}.Hedging", errors);
        CheckBulkhead(resilience.Bulkhead, $"{Name}.Bulkhead", errors);
        CheckRateLimit(options, errors);
        CheckOverrides(options, errors);
    }

    private static void CheckAttemptTimeout(TimeSpan timeout, string name, List<string> errors)
    {
        if (timeout < ShortestTimeout || timeout > Day)
        {
            errors.Add(Invariant($"{name}: {timeout:c} must be between 10 ms and 1 day"));
        }
    }

    private static void CheckRetry(RetryOptions retry, string name, List<string> errors)
    {
        if (retry.MaxAttempts is < 1 or > 5)
        {
            errors.Add(Invariant($"{name}.MaxAttempts: {retry.MaxAttempts} must be between 1 (no retry) and 5"));
        }

        if (retry.BaseDelay < TimeSpan.Zero)
        {
            errors.Add($"{name}.BaseDelay: must not be negative");
        }

        if (retry.MaxDelay < retry.BaseDelay || retry.MaxDelay > Day)
        {
            errors.Add(Invariant($"{name}.MaxDelay: {retry.MaxDelay:c} must be at least BaseDelay ({retry.BaseDelay:c}) and at most 1 day"));
        }

        if (double.IsNaN(retry.BackoffMultiplier) || retry.BackoffMultiplier < 1 || retry.BackoffMultiplier > 10)
        {
            errors.Add(Invariant($"{name}.BackoffMultiplier: {retry.BackoffMultiplier} must be between 1 and 10"));
        }

        if (retry.MinimumTimeLeft < TimeSpan.Zero)
        {
            errors.Add($"{name}.MinimumTimeLeft: must not be negative");
        }
    }

    private static void CheckBudget(RetryBudgetOptions budget, string name, List<string> errors)
    {
        if (budget.MaxTokens is < 1 or > 1000)
        {
            errors.Add(Invariant($"{name}.MaxTokens: {budget.MaxTokens} must be between 1 and 1000"));
        }

        if (double.IsNaN(budget.TokenRatio) || budget.TokenRatio <= 0 || budget.TokenRatio > 1)
        {
            errors.Add(Invariant($"{name}.TokenRatio: {budget.TokenRatio} must be above 0 and at most 1"));
        }
    }

    private static void CheckBreaker(CircuitBreakerOptions breaker, string name, List<string> errors)
    {
        if (double.IsNaN(breaker.FailureRatio) || breaker.FailureRatio <= 0 || breaker.FailureRatio > 1)
        {
            errors.Add(Invariant($"{name}.FailureRatio: {breaker.FailureRatio} must be above 0 and at most 1"));
        }

        if (breaker.MinimumThroughput < 2)
        {
            errors.Add(Invariant($"{name}.MinimumThroughput: {breaker.MinimumThroughput} must be at least 2"));
        }

        if (breaker.SamplingDuration < ShortestBreakerWindow || breaker.SamplingDuration > Day)
        {
            errors.Add(Invariant($"{name}.SamplingDuration: {breaker.SamplingDuration:c} must be between 0.5 s and 1 day"));
        }

        if (breaker.BreakDuration < ShortestBreakerWindow || breaker.BreakDuration > Day)
        {
            errors.Add(Invariant($"{name}.BreakDuration: {breaker.BreakDuration:c} must be between 0.5 s and 1 day"));
        }
    }

    private static void CheckHedging(HedgingOptions hedging, string name, List<string> errors)
    {
        if (hedging.Delay < TimeSpan.Zero || hedging.Delay > Day)
        {
            errors.Add(Invariant($"{name}.Delay: {hedging.Delay:c} must be between 0 and 1 day"));
        }

        if (hedging.MaxHedgedAttempts is < 1 or > 10)
        {
            errors.Add(Invariant($"{name}.MaxHedgedAttempts: {hedging.MaxHedgedAttempts} must be between 1 and 10"));
        }
    }

    private static void CheckBulkhead(BulkheadOptions bulkhead, string name, List<string> errors)
    {
        if (bulkhead.PermitLimit < 1)
        {
            errors.Add(Invariant($"{name}.PermitLimit: {bulkhead.PermitLimit} must be at least 1"));
        }

        if (bulkhead.QueueLimit < 0)
        {
            errors.Add(Invariant($"{name}.QueueLimit: {bulkhead.QueueLimit} must not be negative"));
        }
    }

    private static void CheckRateLimit(GatewayOptions options, List<string> errors)
    {
        var rateLimit = options.Resilience.RateLimit;
        CheckBucket(rateLimit.TokenLimit, rateLimit.TokensPerPeriod, rateLimit.ReplenishmentPeriod, "Resilience.RateLimit", errors);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rateLimit.Participants.Length; i++)
        {
            var limit = rateLimit.Participants[i];
            var name = $"Resilience.RateLimit.Participants[{(limit.Participant.Length > 0 ? limit.Participant : i.ToString(CultureInfo.InvariantCulture))}]";
            if (!options.Participants.Any(p => p.Id == limit.Participant))
            {
                errors.Add($"{name}.Participant: '{limit.Participant}' is not a configured participant");
            }
            else if (!seen.Add(limit.Participant))
            {
                errors.Add($"{name}: the participant's limit is given twice");
            }

            CheckBucket(limit.TokenLimit, limit.TokensPerPeriod, limit.ReplenishmentPeriod, name, errors);
        }
    }

    private static void CheckBucket(int tokenLimit, int tokensPerPeriod, TimeSpan period, string name, List<string> errors)
    {
        if (tokenLimit < 1)
        {
            errors.Add(Invariant($"{name}.TokenLimit: {tokenLimit} must be at least 1"));
        }

        if (tokensPerPeriod < 1)
        {
            errors.Add(Invariant($"{name}.TokensPerPeriod: {tokensPerPeriod} must be at least 1"));
        }

        if (period < TimeSpan.FromMilliseconds(1) || period > Day)
        {
            errors.Add(Invariant($"{name}.ReplenishmentPeriod: {period:c} must be between 1 ms and 1 day"));
        }
    }

    private static void CheckOverrides(GatewayOptions options, List<string> errors)
    {
        var seen = new HashSet<(string, Uri?)>();
        for (var i = 0; i < options.Resilience.Overrides.Length; i++)
        {
            var entry = options.Resilience.Overrides[i];
            var label = entry.Region.Length > 0 ? entry.Region : i.ToString(CultureInfo.InvariantCulture);
            var name = entry.Endpoint is null ? $"Resilience.Overrides[{label}]" : $"Resilience.Overrides[{label} {entry.Endpoint}]";
            var route = options.Regions.FirstOrDefault(r => r.Code == entry.Region);
            if (route is null)
            {
                errors.Add($"{name}.Region: '{entry.Region}' is not a configured route");
            }

            Uri? endpoint = null;
            if (entry.Endpoint is not null)
            {
                endpoint = Uri.TryCreate(entry.Endpoint, UriKind.Absolute, out var parsed) ? parsed : null;
                if (route is not null && (endpoint is null || !route.Endpoints.Any(e => Uri.TryCreate(e, UriKind.Absolute, out var configured) && configured == endpoint)))
                {
                    errors.Add($"{name}.Endpoint: '{entry.Endpoint}' is not an endpoint of route {entry.Region}");
                }

                if (entry.Retry is not null || entry.RetryBudget is not null || entry.Hedging is not null || entry.Bulkhead is not null)
                {
                    errors.Add($"{name}: an endpoint override may only set AttemptTimeout and CircuitBreaker; Retry, RetryBudget, Hedging and Bulkhead act on the whole route");
                }
            }

            if (!seen.Add((entry.Region, endpoint)))
            {
                errors.Add($"{name}: overridden twice");
            }

            if (entry is { AttemptTimeout: null, Retry: null, RetryBudget: null, CircuitBreaker: null, Hedging: null, Bulkhead: null })
            {
                errors.Add($"{name}: sets nothing");
            }

            if (entry.AttemptTimeout is { } timeout)
            {
                CheckAttemptTimeout(timeout, $"{name}.AttemptTimeout", errors);
            }

            if (entry.Retry is { } retry)
            {
                CheckRetry(retry, $"{name}.Retry", errors);
            }

            if (entry.RetryBudget is { } budget)
            {
                CheckBudget(budget, $"{name}.RetryBudget", errors);
            }

            if (entry.CircuitBreaker is { } breaker)
            {
                CheckBreaker(breaker, $"{name}.CircuitBreaker", errors);
            }

            if (entry.Bulkhead is { } bulkhead)
            {
                CheckBulkhead(bulkhead, $"{name}.Bulkhead", errors);
            }

            if (entry.Hedging is { } hedging)
            {
                CheckHedging(hedging, $"{name}.Hedging", errors);
                // Hedges go to other endpoints of the region: a route override asks for what its endpoints can give.
                if (route is not null && hedging.Enabled && route.Endpoints.Length > 0 && hedging.MaxHedgedAttempts > route.Endpoints.Length - 1)
                {
                    errors.Add(Invariant(
                        $"{name}.Hedging.MaxHedgedAttempts: {hedging.MaxHedgedAttempts} needs {hedging.MaxHedgedAttempts + 1} endpoints; route {entry.Region} has {route.Endpoints.Length} (set Enabled false to hedge nothing)"));
                }
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
