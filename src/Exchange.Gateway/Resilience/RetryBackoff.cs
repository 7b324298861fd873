namespace Exchange.Gateway.Resilience;

/// <summary>
/// Exponential backoff with jitter: before retry n (1 for the first) the ceiling is
/// min(MaxDelay, BaseDelay × Multiplier^(n−1)), and the delay is drawn uniformly from its upper half
/// [ceiling / 2, ceiling], so retries of calls that failed together spread out but never come back at once.
/// </summary>
internal sealed class RetryBackoff(TimeSpan baseDelay, TimeSpan maxDelay, double multiplier, Func<double> random)
{
    /// <summary>The ceiling of the delay before retry <paramref name="retry"/> (1-based), before jitter.</summary>
    public TimeSpan CeilingBefore(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var ticks = baseDelay.Ticks * Math.Pow(multiplier, retry - 1);
        return ticks >= maxDelay.Ticks || double.IsInfinity(ticks) ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay before retry <paramref name="retry"/> (1-based), jitter included.</summary>
    public TimeSpan DelayBefore(int retry)
    {
        var ceiling = CeilingBefore(retry);
        var share = 0.5 + (0.5 * Math.Clamp(random(), 0, 1));
        return TimeSpan.FromTicks((long)(ceiling.Ticks * share));
    }
}
