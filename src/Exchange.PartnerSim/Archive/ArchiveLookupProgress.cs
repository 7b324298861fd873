using Exchange.Contracts.Archive.V1;
using Exchange.PartnerSim.Hosting;

namespace Exchange.PartnerSim.Archive;

/// <summary>
/// Moves look-ups along on the region's clock: <see cref="PartnerRegionOptions.ArchiveSearchDelay"/> after
/// submission the archive starts searching, and as long again later the search ends (NOT_FOUND, REJECTED, or FOUND
/// with the certificate issued at once). One timer per pending step; a <c>FakeTimeProvider</c> drives it in tests.
/// </summary>
internal sealed class ArchiveLookupProgress(
    RegionClock clock,
    PartnerRegionOptions options,
    ArchiveLookupStore store,
    ArchiveSearch search,
    ArchiveCertificateIssuer issuer) : IDisposable
{
    // The pending steps keep their timers reachable (an unreferenced system timer may be collected unfired) and let
    // Dispose stop them when the host shuts down.
    private readonly HashSet<PendingStep> _pending = [];
    private bool _disposed;

    /// <summary>Starts a newly submitted look-up on its way.</summary>
    public void Start(string lookupId) => Schedule(new PendingStep(lookupId, StartSearching));

    /// <inheritdoc />
    public void Dispose()
    {
        PendingStep[] pending;
        lock (_pending)
        {
            _disposed = true;
            pending = [.. _pending];
            _pending.Clear();
        }

        foreach (var step in pending)
        {
            step.Timer?.Dispose();
        }
    }

    private void StartSearching(string lookupId)
    {
        store.MoveTo(lookupId, LookupState.Searching, "", clock.UtcNow);
        Schedule(new PendingStep(lookupId, EndSearch));
    }

    private void EndSearch(string lookupId)
    {
        var now = clock.UtcNow;
        var query = store.QueryOf(lookupId) ?? throw new InvalidOperationException($"look-up {lookupId} vanished");
        var result = search.Search(query);
        if (result.Holding is { } holding)
        {
            store.Issue(lookupId, issuer.Issue(query, holding, now), now);
        }
        else
        {
            store.MoveTo(lookupId, result.State, result.Reason, now);
        }
    }

    private void Schedule(PendingStep step)
    {
        lock (_pending)
        {
            if (_disposed)
            {
                return;
            }

            _pending.Add(step);
        }

        var timer = clock.Time.CreateTimer(_ => Fire(step), null, options.ArchiveSearchDelay, Timeout.InfiniteTimeSpan);
        lock (_pending)
        {
            if (_pending.Contains(step))
            {
                step.Timer = timer;
                return;
            }
        }

        // It fired already (a zero delay) or the host shut down meanwhile.
        timer.Dispose();
    }

    private void Fire(PendingStep step)
    {
        ITimer? timer;
        lock (_pending)
        {
            if (!_pending.Remove(step))
            {
                return; // shut down
            }

            timer = step.Timer;
        }

        timer?.Dispose();
        step.Run(step.LookupId);
    }

    private sealed class PendingStep(string lookupId, Action<string> run)
    {
        public string LookupId { get; } = lookupId;

        public Action<string> Run { get; } = run;

        public ITimer? Timer { get; set; }
    }
}
