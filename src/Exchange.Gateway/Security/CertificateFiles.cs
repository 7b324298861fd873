using System.Security.Cryptography.X509Certificates;

namespace Exchange.Gateway.Security;

/// <summary>Loads the PEM files named in configuration.</summary>
internal static class CertificateFiles
{
    /// <summary>A certificate without its key (a CA to trust).</summary>
    public static X509Certificate2 LoadCertificate(string path) => X509Certificate2.CreateFromPem(File.ReadAllText(path));

    /// <summary>A certificate with its private key, usable for TLS.</summary>
    public static X509Certificate2 LoadWithKey(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        // Round-trip through PKCS#12 so the key is a persisted one that every TLS stack accepts.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }
}
