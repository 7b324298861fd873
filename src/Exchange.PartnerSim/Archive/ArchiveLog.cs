using Exchange.Contracts.Archive.V1;

namespace Exchange.PartnerSim.Archive;

/// <summary>The archive's log. Look-up and certificate ids and states only: never a citizen ID or a name.</summary>
internal static partial class ArchiveLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Archive look-up {LookupId} submitted for a {Category} record")]
    public static partial void LookupSubmitted(ILogger logger, string lookupId, ArchiveCategory category);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Archive look-up {LookupId} is now {State}")]
    public static partial void LookupStateChanged(ILogger logger, string lookupId, LookupState state);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Archive certificate {CertificateId} issued for look-up {LookupId}")]
    public static partial void CertificateIssued(ILogger logger, string certificateId, string lookupId);
}
