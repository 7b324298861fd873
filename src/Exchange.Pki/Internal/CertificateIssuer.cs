using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Exchange.Pki.Internal;

/// <summary>Issues the CA and end-entity certificates: ECDSA P-256 keys, SHA-256 signatures.</summary>
internal static class CertificateIssuer
{
    /// <summary>Backdating, so a peer whose clock runs a little behind still accepts a fresh certificate.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    /// <summary>A self-signed CA certificate with its private key.</summary>
    public static X509Certificate2 CreateAuthority(string commonName, DateTimeOffset now, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(NameOf(commonName), key, HashAlgorithmName.SHA256);
        // Path length 0: the development CA signs end-entity certificates only, never another CA.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(now - ClockSkew, now + lifetime);
    }

    /// <summary>An end-entity certificate signed by <paramref name="authority"/> (which must carry its key), with its key.</summary>
    public static X509Certificate2 Issue(CertificateSpec spec, X509Certificate2 authority, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(NameOf(spec.CommonName), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid(CertificateTrust.OidOf(spec.Usage)) }, critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (spec.HasLoopbackNames)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
            request.CertificateExtensions.Add(names.Build(critical: false));
        }

        // A certificate may not outlive or predate its issuer (CertificateRequest.Create refuses it).
        var notBefore = Max(now - ClockSkew, authority.NotBefore.ToUniversalTime());
        var notAfter = Min(now + spec.Lifetime, authority.NotAfter.ToUniversalTime());
        using var issued = request.Create(authority, notBefore, notAfter, SerialNumber());
        return issued.CopyWithPrivateKey(key);
    }

    private static X500DistinguishedName NameOf(string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        return builder.Build();
    }

    private static byte[] SerialNumber()
    {
        // 16 random bytes with the top bit clear: a positive serial, unique without bookkeeping.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
