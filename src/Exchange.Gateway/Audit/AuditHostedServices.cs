namespace Exchange.Gateway.Audit;

/// <summary>
/// Starts the audit trail with the host — before the gateway listens (hosted services start before the server), so the
/// first exchange finds the chain resumed — and stops it after the server has drained, writing the final checkpoint.
/// </summary>
internal sealed class AuditTrailService(AuditTrail trail) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => trail.StartAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => trail.StopAsync();
}

/// <summary>
/// Runs retention on this gateway's own chain: once at start, then every <see cref="AuditOptions.RetentionCheckInterval"/>.
/// A failed run (the store down, a broken chain) is logged and tried again at the next tick.
/// </summary>
internal sealed class AuditRetentionService(AuditRetention retention, AuditOptions options, TimeProvider time, ILogger<AuditRetentionService> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.RetentionCheckInterval, time);
        try
        {
            do
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await retention.RunOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AuditLog.RetentionFailed(logger, options.NodeId ?? "", options.RetentionCheckInterval, e);
        }
    }
}
