namespace Exchange.Pki.Internal;

/// <summary>What one end-entity certificate of the development PKI must be.</summary>
/// <param name="Name">Path relative to the PKI directory, without extension ("gateway", "regions/310000").</param>
/// <param name="CommonName">Subject CN.</param>
/// <param name="Usage">TLS role (extended key usage).</param>
/// <param name="Lifetime">How long a newly issued certificate is valid.</param>
internal sealed record CertificateSpec(string Name, string CommonName, CertificateUsage Usage, TimeSpan Lifetime)
{
    /// <summary>
    /// Servers are reached on loopback by name or address, so they carry localhost, 127.0.0.1 and ::1; clients are
    /// identified by CN and carry no names.
    /// </summary>
    public bool HasLoopbackNames => Usage == CertificateUsage.ServerAuthentication;
}
