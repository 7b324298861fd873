namespace Exchange.Pki;

/// <summary>What a certificate is expected to be used for in TLS (its extended key usage).</summary>
public enum CertificateUsage
{
    /// <summary>A TLS server (EKU id-kp-serverAuth, 1.3.6.1.5.5.7.3.1).</summary>
    ServerAuthentication,

    /// <summary>A TLS client (EKU id-kp-clientAuth, 1.3.6.1.5.5.7.3.2).</summary>
    ClientAuthentication,
}
