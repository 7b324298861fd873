namespace Exchange.Gateway.Resilience;

/// <summary>
/// The deadline of one outbound call as a cancellation that also follows the caller's. When the time is up it first
/// marks the call <see cref="OutboundCall.DeadlinePassed"/>, then cancels: whatever the cancellation interrupts (an
/// attempt, a retry's backoff, a wait for a bulkhead permit, a relayed stream) can tell running out of time from the
/// caller giving up or a hedge winning. A cancellation alone cannot say which of them it was.
/// </summary>
internal sealed class CallDeadline : IDisposable
{
    private readonly OutboundCall _call;
    private readonly CancellationTokenSource _source;
    private readonly ITimer _timer;

    /// <summary>Starts the deadline of <paramref name="call"/>, <paramref name="timeLeft"/> from now on <paramref name="time"/>.</summary>
    public CallDeadline(OutboundCall call, TimeSpan timeLeft, TimeProvider time)
    {
        _call = call;
        _source = CancellationTokenSource.CreateLinkedTokenSource(call.Options.CancellationToken);
        _timer = time.CreateTimer(static state => ((CallDeadline)state!).Expire(), this, timeLeft, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Cancelled when the deadline passes or the caller gives up.</summary>
    public CancellationToken Token => _source.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        _timer.Dispose();
        _source.Dispose();
    }

    private void Expire()
    {
        _call.DeadlinePassed = true;
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended as its deadline passed: nothing is left to cancel.
        }
    }
}
