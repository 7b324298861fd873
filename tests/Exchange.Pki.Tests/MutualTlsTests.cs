using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Exchange.Pki.Tests;

/// <summary>Real TLS handshakes over loopback with the development certificates, both sides authenticated.</summary>
public sealed class MutualTlsTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly TemporaryDirectory _otherDirectory = new();

    public void Dispose()
    {
        _directory.Dispose();
        _otherDirectory.Dispose();
    }

    [Fact]
    public async Task Handshake_GatewayServerAndParticipantClient_ServerSeesParticipantId()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        var (participant, received) = await HandshakeAsync(pki.GatewayServerCertificate, pki.ParticipantCertificate("county-hospital"), pki.CaCertificate, "localhost");

        Assert.Equal("county-hospital", participant);
        Assert.Equal(42, received);
    }

    [Fact]
    public async Task Handshake_ServerCertificateOfAnotherCa_IsRefusedByTheClient()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);
        using var other = DevelopmentPki.LoadOrCreate(_otherDirectory.Path, Plans.Sandbox);

        await Assert.ThrowsAsync<AuthenticationException>(() =>
            HandshakeAsync(other.GatewayServerCertificate, pki.ParticipantCertificate("county-hospital"), pki.CaCertificate, "localhost"));
    }

    [Fact]
    public async Task Handshake_ByIpAddress_MatchesTheSubjectAlternativeName()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        var (participant, _) = await HandshakeAsync(pki.RegionServerCertificate("310000"), pki.GatewayClientCertificate, pki.CaCertificate, "127.0.0.1");

        Assert.Equal("exchange-gateway-341021", participant);
    }

    [Fact]
    public async Task Handshake_ClientCertificateOfAnotherCa_IsRefusedByTheServer()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);
        using var other = DevelopmentPki.LoadOrCreate(_otherDirectory.Path, Plans.Sandbox);

        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            HandshakeAsync(pki.GatewayServerCertificate, other.ParticipantCertificate("county-hospital"), pki.CaCertificate, "localhost"));

        // The client sees the refusal as a failed handshake or a closed connection, depending on the TLS version.
        Assert.True(error is AuthenticationException or IOException, error.ToString());
    }

    /// <summary>
    /// Runs a handshake between an SslStream server and client on 127.0.0.1, each trusting only <paramref name="ca"/>;
    /// returns the participant id the server read from the client certificate and a byte sent after the handshake.
    /// </summary>
    private static async Task<(string? Participant, int Received)> HandshakeAsync(
        X509Certificate2 serverCertificate, X509Certificate2 clientCertificate, X509Certificate2 ca, string targetHost)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var server = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(timeout.Token);
            await using var tls = new SslStream(accepted.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCertificate,
                ClientCertificateRequired = true,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is X509Certificate2 presented
                    && CertificateTrust.IsIssuedBy(presented, ca, CertificateUsage.ClientAuthentication, out _),
            }, timeout.Token);
            var participant = CertificateTrust.ParticipantIdOf((X509Certificate2)tls.RemoteCertificate!);
            var buffer = new byte[1];
            var read = await tls.ReadAsync(buffer, timeout.Token);
            return (participant, read == 1 ? buffer[0] : -1);
        });

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await using var clientTls = new SslStream(client.GetStream());
        try
        {
            await clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                ClientCertificates = new X509CertificateCollection { clientCertificate },
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                // Custom trust for the chain, but the host name must still match.
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                    && certificate is X509Certificate2 presented
                    && CertificateTrust.IsIssuedBy(presented, ca, CertificateUsage.ServerAuthentication, out _),
            }, timeout.Token);
            await clientTls.WriteAsync(new byte[] { 42 }, timeout.Token);
            await clientTls.FlushAsync(timeout.Token);
        }
        catch
        {
            // Close the connection so the server side ends too, and observe it, so no task is left running.
            client.Dispose();
            await Task.WhenAny(server);
            throw;
        }

        return await server;
    }
}
