using System.Threading.Channels;
using Exchange.Contracts.Archive.V1;
using Exchange.PartnerSim.Hosting;
using Google.Protobuf.WellKnownTypes;

namespace Exchange.PartnerSim.Archive;

/// <summary>
/// The archive's look-ups and the certificates it issued, in memory. Every change goes through here and is pushed,
/// in order, to the look-up's open watches. One lock (<see cref="Gate"/>) guards it all.
/// </summary>
internal sealed class ArchiveLookupStore(PartnerRegionOptions options, ILogger<ArchiveLookupStore> logger)
{
    /// <summary>How long the archive commits to take (4 working days in real life; calendar days here).</summary>
    public static readonly TimeSpan ExpectedDuration = TimeSpan.FromDays(4);

    private readonly Dictionary<string, TrackedLookup> _lookups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ArchiveCertificate> _certificatesById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ArchiveCertificate> _certificatesByCode = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>The lock over every look-up and certificate; also the gate of the submit request-id ledger.</summary>
    public object Gate { get; } = new();

    /// <summary>Records a new look-up in SUBMITTED and returns it.</summary>
    public ArchiveLookup Add(SubmitArchiveLookupRequest request, DateTimeOffset now)
    {
        lock (Gate)
        {
            var id = $"{options.RegionCode}L{++_sequence:D8}";
            var lookup = new ArchiveLookup
            {
                LookupId = id,
                RequestId = request.RequestId,
                ArchiveRegion = request.ArchiveRegion,
                Category = request.Category,
                State = LookupState.Submitted,
                SubmitTime = Timestamp.FromDateTimeOffset(now),
                UpdateTime = Timestamp.FromDateTimeOffset(now),
                ExpectedTime = Timestamp.FromDateTimeOffset(now + ExpectedDuration),
            };
            var query = new LookupQuery(id, request.Category, request.Subject.CitizenId, request.SubjectName, request.Purpose);
            _lookups.Add(id, new TrackedLookup(lookup, query));
            ArchiveLog.LookupSubmitted(logger, id, request.Category);
            return lookup.Clone();
        }
    }

    /// <summary>The look-up's current state, or null if there is none with that id.</summary>
    public ArchiveLookup? Find(string lookupId)
    {
        lock (Gate)
        {
            return _lookups.TryGetValue(lookupId, out var tracked) ? tracked.Lookup.Clone() : null;
        }
    }

    /// <summary>The look-up's current state and its certificate (null until issued); false if there is no such look-up.</summary>
    public bool TryGetWithCertificate(string lookupId, out ArchiveLookup lookup, out ArchiveCertificate? certificate)
    {
        lock (Gate)
        {
            if (!_lookups.TryGetValue(lookupId, out var tracked))
            {
                (lookup, certificate) = (new ArchiveLookup(), null);
                return false;
            }

            (lookup, certificate) = (tracked.Lookup.Clone(), tracked.Certificate?.Clone());
            return true;
        }
    }

    /// <summary>What the look-up asks for (for the search), or null if there is no such look-up.</summary>
    public LookupQuery? QueryOf(string lookupId)
    {
        lock (Gate)
        {
            return _lookups.TryGetValue(lookupId, out var tracked) ? tracked.Query : null;
        }
    }

    /// <summary>Opens a watch on the look-up, or returns null if there is no such look-up.</summary>
    public LookupWatch? Watch(string lookupId)
    {
        lock (Gate)
        {
            if (!_lookups.TryGetValue(lookupId, out var tracked))
            {
                return null;
            }

            // Unbounded: the timer thread that changes a state must never wait for a slow watcher.
            var changes = Channel.CreateUnbounded<ArchiveLookup>(new UnboundedChannelOptions { SingleReader = true });
            if (LookupStates.IsFinal(tracked.Lookup.State))
            {
                changes.Writer.TryComplete();
                return new LookupWatch(tracked.Lookup.Clone(), changes.Reader, static () => { });
            }

            tracked.Watchers.Add(changes.Writer);
            return new LookupWatch(tracked.Lookup.Clone(), changes.Reader, () => Unwatch(tracked, changes.Writer));
        }
    }

    /// <summary>Number of open watches on a look-up (for tests).</summary>
    public int WatcherCount(string lookupId)
    {
        lock (Gate)
        {
            return _lookups.TryGetValue(lookupId, out var tracked) ? tracked.Watchers.Count : 0;
        }
    }

    /// <summary>Moves the look-up to <paramref name="state"/> (SEARCHING, NOT_FOUND or REJECTED) and tells its watches.</summary>
    public void MoveTo(string lookupId, LookupState state, string reason, DateTimeOffset now)
    {
        lock (Gate)
        {
            var tracked = _lookups[lookupId];
            Change(tracked, state, reason, now);
        }
    }

    /// <summary>
    /// Records the certificate and moves the look-up to FOUND and at once to CERTIFICATE_ISSUED, in one step: a reader
    /// of the state never sees FOUND, a watch sees both changes.
    /// </summary>
    public void Issue(string lookupId, ArchiveCertificate certificate, DateTimeOffset now)
    {
        lock (Gate)
        {
            var tracked = _lookups[lookupId];
            Change(tracked, LookupState.Found, "", now);
            tracked.Certificate = certificate.Clone();
            _certificatesById.Add(certificate.CertificateId, tracked.Certificate);
            _certificatesByCode.Add(certificate.VerificationCode, tracked.Certificate);
            ArchiveLog.CertificateIssued(logger, certificate.CertificateId, lookupId);
            Change(tracked, LookupState.CertificateIssued, "", now);
        }
    }

    /// <summary>The certificate issued here under <paramref name="certificateId"/>, or null.</summary>
    public ArchiveCertificate? FindCertificateById(string certificateId)
    {
        lock (Gate)
        {
            return _certificatesById.TryGetValue(certificateId, out var certificate) ? certificate.Clone() : null;
        }
    }

    /// <summary>The certificate issued here with <paramref name="verificationCode"/>, or null.</summary>
    public ArchiveCertificate? FindCertificateByCode(string verificationCode)
    {
        lock (Gate)
        {
            return _certificatesByCode.TryGetValue(verificationCode, out var certificate) ? certificate.Clone() : null;
        }
    }

    private void Change(TrackedLookup tracked, LookupState state, string reason, DateTimeOffset now)
    {
        if (LookupStates.IsFinal(tracked.Lookup.State))
        {
            throw new InvalidOperationException($"look-up {tracked.Lookup.LookupId} is already final ({ContractNames.Of(tracked.Lookup.State)})");
        }

        tracked.Lookup.State = state;
        tracked.Lookup.StateReason = reason;
        tracked.Lookup.UpdateTime = Timestamp.FromDateTimeOffset(now);
        ArchiveLog.LookupStateChanged(logger, tracked.Lookup.LookupId, state);
        var final = LookupStates.IsFinal(state);
        foreach (var watcher in tracked.Watchers)
        {
            watcher.TryWrite(tracked.Lookup.Clone());
            if (final)
            {
                watcher.TryComplete();
            }
        }

        if (final)
        {
            tracked.Watchers.Clear();
        }
    }

    private void Unwatch(TrackedLookup tracked, ChannelWriter<ArchiveLookup> watcher)
    {
        lock (Gate)
        {
            tracked.Watchers.Remove(watcher);
        }
    }
}
