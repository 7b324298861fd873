using Exchange.Gateway.Configuration;

namespace Exchange.Gateway.Idempotency;

/// <summary>Deletes expired idempotency entries: once at start, then every <see cref="IdempotencyOptions.PurgeInterval"/>.</summary>
internal sealed class IdempotencyPurgeService(IIdempotencyStore store, GatewayOptions options, TimeProvider time, ILogger<IdempotencyPurgeService> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Idempotency.PurgeInterval;
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                await PurgeOnceAsync(interval, stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task PurgeOnceAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        try
        {
            var purged = await store.PurgeExpiredAsync(stoppingToken).ConfigureAwait(false);
            if (purged > 0)
            {
                IdempotencyLog.Purged(logger, purged);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A store that is down now may be back at the next tick; entries only wait a little longer.
            IdempotencyLog.PurgeFailed(logger, interval, e);
        }
    }
}
