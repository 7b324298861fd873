namespace Exchange.Gateway.Resilience;

/// <summary>
/// The retry budget of a region, after gRPC's retry throttling (gRFC A6): a bucket of tokens, full at start; a call
/// that ends in a transport failure takes one token, a call the partner answered gives back a fraction of one;
/// retries and hedges are allowed only while more than half the bucket is left.
/// </summary>
/// <remarks>
/// Unlike gRPC, which charges every failed attempt, the budget is charged by calls, after their retries: a partner
/// failing a third of its attempts still gets its calls through on the second or third try (the bucket stays full),
/// while one failing all of them empties it within a few calls, after which nothing is retried until answers come
/// back. Tokens are kept in thousandths, as gRPC does, so updates are integer and lock-free.
/// </remarks>
internal sealed class RetryBudget
{
    private const int Scale = 1000;
    private readonly int _max;
    private readonly int _threshold;
    private readonly int _ratio;
    private int _tokens;

    /// <summary>A full bucket of <paramref name="maxTokens"/>, refilled by <paramref name="tokenRatio"/> per answered call.</summary>
    public RetryBudget(int maxTokens, double tokenRatio)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokenRatio);
        _max = maxTokens * Scale;
        _threshold = _max / 2;
        _ratio = Math.Max(1, (int)Math.Round(tokenRatio * Scale));
        _tokens = _max;
    }

    /// <summary>Tokens left.</summary>
    public double Tokens => Volatile.Read(ref _tokens) / (double)Scale;

    /// <summary>Whether a retry or a hedge may be sent now: more than half the bucket is left.</summary>
    public bool AllowsRetry => Volatile.Read(ref _tokens) > _threshold;

    /// <summary>A call ended in a transport failure: takes one token.</summary>
    public void RecordFailure() => Update(-Scale);

    /// <summary>The partner answered a call (with a result or its own error): gives back the ratio.</summary>
    public void RecordAnswer() => Update(_ratio);

    private void Update(int delta)
    {
        var current = Volatile.Read(ref _tokens);
        while (true)
        {
            var next = Math.Clamp(current + delta, 0, _max);
            if (next == current)
            {
                return;
            }

            var seen = Interlocked.CompareExchange(ref _tokens, next, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
