namespace Exchange.Gateway.Audit;

/// <summary>Whether the trail is taking records.</summary>
internal enum AuditHealthStatus
{
    /// <summary>Not yet resumed from the store.</summary>
    Starting,

    /// <summary>Records are being made durable.</summary>
    Healthy,

    /// <summary>The store cannot be written (or the chain is broken): appends fail, exchanges are refused.</summary>
    Unhealthy,

    /// <summary>The trail was stopped.</summary>
    Stopped,
}

/// <summary>The trail's state, why, and since when.</summary>
/// <param name="Status">The state.</param>
/// <param name="Reason">Why (for Unhealthy: what failed), without personal data; null when healthy.</param>
/// <param name="Since">When the state began.</param>
internal sealed record AuditHealthReport(AuditHealthStatus Status, string? Reason, DateTimeOffset Since);

/// <summary>
/// The trail's health, for the health check and for the request path's fast refusal. Thread-safe; changes are
/// announced through <see cref="Changed"/> and can be awaited with <see cref="WaitForAsync"/>.
/// </summary>
internal sealed class AuditHealth
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<(AuditHealthStatus Status, TaskCompletionSource<AuditHealthReport> Waiter)> _waiters = [];
    private AuditHealthReport _current;

    /// <summary>Health that starts as <see cref="AuditHealthStatus.Starting"/>.</summary>
    public AuditHealth(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _current = new AuditHealthReport(AuditHealthStatus.Starting, "resuming the chain from the store", time.GetUtcNow());
    }

    /// <summary>Raised after every change of status or reason (on the thread that made it).</summary>
    public event EventHandler<AuditHealthReport>? Changed;

    /// <summary>The current state.</summary>
    public AuditHealthReport Current => Volatile.Read(ref _current);

    /// <summary>Whether records are being taken.</summary>
    public bool IsHealthy => Current.Status == AuditHealthStatus.Healthy;

    /// <summary>Completes when the status is <paramref name="status"/> (at once if it is).</summary>
    public Task<AuditHealthReport> WaitForAsync(AuditHealthStatus status, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_current.Status == status)
            {
                return Task.FromResult(_current);
            }

            var waiter = new TaskCompletionSource<AuditHealthReport>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((status, waiter));
            return waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Sets the state; a repeat of the same status and reason changes nothing.</summary>
    internal void Report(AuditHealthStatus status, string? reason)
    {
        AuditHealthReport report;
        List<TaskCompletionSource<AuditHealthReport>> released = [];
        lock (_lock)
        {
            if (_current.Status == status && string.Equals(_current.Reason, reason, StringComparison.Ordinal))
            {
                return;
            }

            report = new AuditHealthReport(status, reason, _current.Status == status ? _current.Since : _time.GetUtcNow());
            Volatile.Write(ref _current, report);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Status == status)
                {
                    released.Add(_waiters[i].Waiter);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var waiter in released)
        {
            waiter.TrySetResult(report);
        }

        Changed?.Invoke(this, report);
    }
}
