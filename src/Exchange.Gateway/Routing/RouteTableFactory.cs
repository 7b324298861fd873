using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Security;
using Exchange.Pki;

namespace Exchange.Gateway.Routing;

/// <summary>Builds the route table and one long-lived HTTP/2 handler per endpoint from configuration.</summary>
internal static class RouteTableFactory
{
    public static RouteTable Create(GatewayOptions options)
    {
        var trustedCa = options.Outbound.TrustedCaPath is { } caPath ? CertificateFiles.LoadCertificate(caPath) : null;
        var clientCertificate = options.Outbound.ClientCertificatePath is { } certPath
            ? CertificateFiles.LoadWithKey(certPath, options.Outbound.ClientKeyPath!)
            : null;
        return new RouteTable(options.Regions.Select(region => new RegionRoute(
            region.Code,
            region.Name,
            [.. region.Endpoints.Select(address => new RegionEndpoint(region.Code, new Uri(address), Handler(new Uri(address), trustedCa, clientCertificate), options.Limits.MaxRequestBytes, options.Limits.MaxResponseBytes))],
            region.FanOut)));
    }

    private static SocketsHttpHandler Handler(Uri address, X509Certificate2? trustedCa, X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            // Several HTTP/2 connections per endpoint, so a busy region is not capped by one connection's stream limit.
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            // The forwarders write the client span's trace context; the handler's own would name an unexported activity.
            ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
        };
        if (address.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    trustedCa is null
                        ? errors == SslPolicyErrors.None
                        : certificate is X509Certificate2 presented
                          && CertificateTrust.IsIssuedBy(presented, trustedCa, CertificateUsage.ServerAuthentication, out _)
                          && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0,
            };
        }

        return handler;
    }
}
