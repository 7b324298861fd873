using Exchange.Contracts.Archive.V1;

namespace Exchange.PartnerSim.Archive;

/// <summary>Facts about look-up states.</summary>
internal static class LookupStates
{
    /// <summary>True for the states a look-up never leaves (FOUND is not one: the certificate follows at once).</summary>
    public static bool IsFinal(LookupState state) =>
        state is LookupState.NotFound or LookupState.Rejected or LookupState.CertificateIssued;
}
