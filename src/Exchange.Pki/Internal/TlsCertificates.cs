using System.Security.Cryptography.X509Certificates;

namespace Exchange.Pki.Internal;

/// <summary>Makes a certificate loaded from PEM usable as a TLS credential.</summary>
internal static class TlsCertificates
{
    /// <summary>
    /// A copy of <paramref name="certificate"/> whose private key TLS can use. A key imported from PEM is ephemeral;
    /// Windows' TLS stack refuses ephemeral keys and some Linux paths (Kestrel's certificate context) expect a
    /// PKCS#12-backed key, so the pair is round-tripped through PKCS#12 on every platform.
    /// </summary>
    public static X509Certificate2 Usable(X509Certificate2 certificate)
    {
        var pkcs12 = certificate.Export(X509ContentType.Pkcs12);
        return X509CertificateLoader.LoadPkcs12(pkcs12, password: null);
    }
}
