using System.Threading.Channels;
using Exchange.Contracts.Archive.V1;

namespace Exchange.PartnerSim.Archive;

/// <summary>
/// A subscription to one look-up's changes: the state when it was opened, then every later change in order. The
/// changes end after a final state. Dispose it when the watcher goes away.
/// </summary>
internal sealed class LookupWatch(ArchiveLookup current, ChannelReader<ArchiveLookup> changes, Action unsubscribe) : IDisposable
{
    private Action? _unsubscribe = unsubscribe;

    /// <summary>The look-up as it was when the watch was opened.</summary>
    public ArchiveLookup Current { get; } = current;

    /// <summary>Every change after <see cref="Current"/>; completes after a final state.</summary>
    public ChannelReader<ArchiveLookup> Changes { get; } = changes;

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _unsubscribe, null)?.Invoke();
}
