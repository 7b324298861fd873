namespace Exchange.Gateway.Resilience;

/// <summary>
/// A token bucket on an injected clock: full at start, refilled by whole periods as time passes (computed when asked,
/// so it needs no timer and a fake clock drives it exactly). Thread-safe.
/// </summary>
internal sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly int _limit;
    private readonly int _perPeriod;
    private readonly TimeSpan _period;
    private readonly long _periodStamps;
    private long _refilledAt;
    private int _tokens;

    public TokenBucket(TimeProvider time, int tokenLimit, int tokensPerPeriod, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokenLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokensPerPeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        _time = time;
        _limit = tokenLimit;
        _perPeriod = tokensPerPeriod;
        _period = period;
        _periodStamps = Math.Max(1, (long)(period.TotalSeconds * time.TimestampFrequency));
        _refilledAt = time.GetTimestamp();
        _tokens = tokenLimit;
    }

    /// <summary>The bucket's size.</summary>
    public int Limit => _limit;

    /// <summary>Takes a token if there is one; otherwise says how long until the next refill brings one.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var periods = (now - _refilledAt) / _periodStamps;
            if (periods > 0)
            {
                _tokens = (int)Math.Min(_limit, _tokens + (periods * _perPeriod));
                _refilledAt += periods * _periodStamps;
            }

            if (_tokens > 0)
            {
                _tokens--;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = _period - _time.GetElapsedTime(_refilledAt, now);
            return false;
        }
    }
}
