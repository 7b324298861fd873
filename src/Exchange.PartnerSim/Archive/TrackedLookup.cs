using System.Threading.Channels;
using Exchange.Contracts.Archive.V1;

namespace Exchange.PartnerSim.Archive;

/// <summary>
/// One look-up as the archive keeps it: the state callers see, what was asked, the certificate once issued and the
/// open watches. Guarded by <see cref="ArchiveLookupStore.Gate"/>.
/// </summary>
internal sealed class TrackedLookup(ArchiveLookup lookup, LookupQuery query)
{
    /// <summary>The state callers see; hand out clones only.</summary>
    public ArchiveLookup Lookup { get; } = lookup;

    /// <summary>What was asked.</summary>
    public LookupQuery Query { get; } = query;

    /// <summary>The certificate, once issued; hand out clones only.</summary>
    public ArchiveCertificate? Certificate { get; set; }

    /// <summary>Open watches; each gets every change and is completed after a final state.</summary>
    public List<ChannelWriter<ArchiveLookup>> Watchers { get; } = [];
}
