using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.Pki;
using Grpc.Net.Client;

namespace Exchange.Gateway.Tests.Security;

/// <summary>
/// Client certificates the development PKI never issues (expired, issued for another usage), and channels that
/// present them whatever their usage says: the gateway, not the client's TLS stack, must refuse them.
/// </summary>
internal static class OddCertificates
{
    /// <summary>A client certificate for <paramref name="participantId"/>, signed by the exchange CA, that has expired.</summary>
    public static X509Certificate2 Expired(GatewayEnvironment environment, string participantId)
    {
        using var ca = X509Certificate2.CreateFromPemFile(environment.Pki.CaCertificatePath, Path.Combine(environment.Pki.Directory, "ca.key"));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={participantId}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(CertificateTrust.ClientAuthenticationOid)], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        // It may not predate its issuer, which the PKI backdated by an hour: valid for the first minutes of that hour only.
        var notBefore = ca.NotBefore.ToUniversalTime();
        using var issued = request.Create(ca, notBefore, notBefore.AddMinutes(5), [0x01, 0x02, 0x03, 0x04]);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A channel to the gateway that presents <paramref name="clientCertificate"/> as it is.</summary>
    public static GrpcChannel ChannelPresenting(GatewayEnvironment environment, X509Certificate2 clientCertificate)
    {
        var ca = environment.Pki.CaCertificate;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Selected explicitly: the TLS stack would otherwise skip a certificate not issued for client authentication.
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is X509Certificate2 presented && CertificateTrust.IsIssuedBy(presented, ca, CertificateUsage.ServerAuthentication, out _),
            },
        };
        return GrpcChannel.ForAddress(environment.Gateway.Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
