using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace Exchange.Cli.Connection;

/// <summary>A gRPC channel over mutual TLS: the client presents its certificate and trusts one CA only.</summary>
public static class MutualTlsChannel
{
    /// <summary>
    /// A channel to <paramref name="address"/> (https only) presenting <paramref name="clientCertificate"/> and
    /// accepting only a server certificate issued by <paramref name="trustedCa"/> for the host called.
    /// </summary>
    /// <param name="address">The server, e.g. https://127.0.0.1:7443.</param>
    /// <param name="clientCertificate">The participant's certificate, with its private key.</param>
    /// <param name="trustedCa">The CA that issued the server's certificate.</param>
    /// <param name="check">Receives the reason when a server certificate is refused; null to create one.</param>
    /// <exception cref="ArgumentException">The address is not https.</exception>
    public static GrpcChannel Create(Uri address, X509Certificate2 clientCertificate, X509Certificate2 trustedCa, ServerCertificateCheck? check = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(clientCertificate);
        ArgumentNullException.ThrowIfNull(trustedCa);
        if (address.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"{address}: the gateway is reached over mutual TLS; use an https:// address", nameof(address));
        }

        check ??= new ServerCertificateCheck(trustedCa);
        var handler = new SocketsHttpHandler
        {
            // gRPC multiplexes calls on one connection; a second one opens only if the server's stream limit is reached.
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = new X509CertificateCollection { clientCertificate },
                // Present the certificate even if the server names no acceptable issuers.
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate,
                RemoteCertificateValidationCallback = check.Validate,
            },
        };
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
