using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Exchange.Pki;

/// <summary>
/// Decides whether a certificate was issued by a given CA for a given TLS role, trusting that CA alone (never the
/// machine's root store), and reads the participant a client certificate names.
/// </summary>
public static class CertificateTrust
{
    /// <summary>OID of the server-authentication extended key usage.</summary>
    public const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>OID of the client-authentication extended key usage.</summary>
    public const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    private const string CommonNameOid = "2.5.4.3";

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to <paramref name="ca"/> (the only trusted root), is valid now,
    /// is not itself a CA and carries the extended key usage of <paramref name="usage"/>.
    /// </summary>
    /// <param name="certificate">The end-entity certificate presented.</param>
    /// <param name="ca">The CA certificate to trust (no private key needed).</param>
    /// <param name="usage">The TLS role the certificate must be issued for.</param>
    /// <param name="error">Why it is not acceptable; null when it is.</param>
    /// <returns>True when the certificate is acceptable.</returns>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 ca, CertificateUsage usage, out string? error) =>
        IsIssuedBy(certificate, ca, usage, DateTimeOffset.UtcNow, out error);

    /// <summary>As <see cref="IsIssuedBy(X509Certificate2, X509Certificate2, CertificateUsage, out string?)"/>, at a given instant.</summary>
    /// <param name="certificate">The end-entity certificate presented.</param>
    /// <param name="ca">The CA certificate to trust (no private key needed).</param>
    /// <param name="usage">The TLS role the certificate must be issued for.</param>
    /// <param name="verificationTime">The instant at which the chain must be valid (a fake clock's "now" in tests).</param>
    /// <param name="error">Why it is not acceptable; null when it is.</param>
    /// <returns>True when the certificate is acceptable.</returns>
    public static bool IsIssuedBy(
        X509Certificate2 certificate, X509Certificate2 ca, CertificateUsage usage, DateTimeOffset verificationTime, out string? error)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(ca);
        // Kestrel hands the same certificate object to every call of a connection, and reading an X509Certificate2's
        // extensions from several threads at once can see them half-decoded: check a private copy.
        using var copy = X509CertificateLoader.LoadCertificate(certificate.RawData);
        error = Check(copy, ca, usage, verificationTime);
        return error is null;
    }

    /// <summary>
    /// The participant id a client certificate names: its subject common name (CN); null when it has none. The id is
    /// only meaningful after <see cref="IsIssuedBy(X509Certificate2, X509Certificate2, CertificateUsage, out string?)"/>
    /// accepted the certificate.
    /// </summary>
    /// <param name="certificate">A client certificate.</param>
    /// <returns>The CN, or null.</returns>
    public static string? ParticipantIdOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        // Read the CN attribute itself: GetNameInfo(SimpleName) falls back to other attributes when there is no CN,
        // which would let a certificate without one claim an identity.
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == CommonNameOid)
            {
                var value = rdn.GetSingleElementValue();
                return string.IsNullOrEmpty(value) ? null : value;
            }
        }

        return null;
    }

    /// <summary>The extended-key-usage OID of <paramref name="usage"/>.</summary>
    public static string OidOf(CertificateUsage usage) => usage switch
    {
        CertificateUsage.ServerAuthentication => ServerAuthenticationOid,
        CertificateUsage.ClientAuthentication => ClientAuthenticationOid,
        _ => throw new ArgumentOutOfRangeException(nameof(usage), usage, "unknown usage"),
    };

    private static string? Check(X509Certificate2 certificate, X509Certificate2 ca, CertificateUsage usage, DateTimeOffset at)
    {
        var subject = certificate.Subject;
        if (IsCertificateAuthority(certificate))
        {
            return $"'{subject}' is a CA certificate, not an end-entity certificate";
        }

        // An absent EKU extension means "any usage" to chain building; a participant's certificate must say its role.
        var expected = OidOf(usage);
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (eku is null || !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == expected))
        {
            return $"'{subject}' is not issued for {Describe(usage)} (extended key usage {expected} missing)";
        }

        using var chain = new X509Chain();
        try
        {
            return CheckChain(chain, certificate, ca, expected, at);
        }
        finally
        {
            // Chain elements are fresh certificate objects owned by the caller of Build.
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }

    private static string? CheckChain(X509Chain chain, X509Certificate2 certificate, X509Certificate2 ca, string expected, DateTimeOffset at)
    {
        var subject = certificate.Subject;
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.Add(ca);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = at.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        policy.ApplicationPolicy.Add(new Oid(expected));
        if (!chain.Build(certificate))
        {
            var statuses = chain.ChainStatus
                .Where(s => s.Status != X509ChainStatusFlags.NoError)
                .Select(s => s.Status)
                .Distinct()
                .Select(Explain);
            return $"'{subject}' is not trusted at {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z: {string.Join("; ", statuses)}";
        }

        // Issued by this CA directly: the dev PKI has no intermediates, so anything longer is someone else's chain.
        var elements = chain.ChainElements;
        if (elements.Count != 2 || !elements[1].Certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span))
        {
            return $"'{subject}' is not issued directly by '{ca.Subject}'";
        }

        return null;
    }

    private static bool IsCertificateAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);

    private static string Describe(CertificateUsage usage) =>
        usage == CertificateUsage.ServerAuthentication ? "server authentication" : "client authentication";

    private static string Explain(X509ChainStatusFlags status) => status switch
    {
        X509ChainStatusFlags.NotTimeValid => "expired or not yet valid",
        X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain => "not issued by the trusted CA",
        X509ChainStatusFlags.NotSignatureValid => "signature does not verify",
        X509ChainStatusFlags.NotValidForUsage => "not valid for this usage",
        _ => status.ToString(),
    };
}
