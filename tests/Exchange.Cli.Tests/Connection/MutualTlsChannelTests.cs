using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Exchange.Cli.Connection;
using Exchange.Cli.Tests.Infrastructure;
using Exchange.Pki;
using Grpc.Core;

namespace Exchange.Cli.Tests.Connection;

/// <summary>
/// The simulator does not ask for client certificates, so this proves the other half of mTLS: a TLS server that
/// requires one receives the participant's development certificate from the channel.
/// </summary>
public sealed class MutualTlsChannelTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Channel_ServerRequiringClientCertificate_ReceivesTheParticipantsCertificate()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, SandboxDefaults.PkiPlan());
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
                ServerCertificate = pki.GatewayServerCertificate,
                ClientCertificateRequired = true,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is X509Certificate2 presented
                    && CertificateTrust.IsIssuedBy(presented, pki.CaCertificate, CertificateUsage.ClientAuthentication, out _),
            }, timeout.Token);
            // Handshake done: who called is all this test needs; closing makes the gRPC call fail, as expected.
            return CertificateTrust.ParticipantIdOf((X509Certificate2)tls.RemoteCertificate!);
        });

        using var channel = MutualTlsChannel.Create(
            new Uri($"https://127.0.0.1:{port}"), pki.ParticipantCertificate("county-archive"), pki.CaCertificate);
        var call = channel.CreateCallInvoker().AsyncUnaryCall(
            new Method<byte[], byte[]>(MethodType.Unary, "exchange.directory.v1.DirectoryService", "ListServices",
                Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b)),
            null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), []);

        Assert.Equal("county-archive", await server);
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
    }

    [Fact]
    public void Create_PlainHttpAddress_IsRefused()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, SandboxDefaults.PkiPlan());

        var error = Assert.Throws<ArgumentException>(() =>
            MutualTlsChannel.Create(new Uri("http://127.0.0.1:7443"), pki.ParticipantCertificate("auditor"), pki.CaCertificate));

        Assert.Contains("use an https:// address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServerCertificateCheck_NameMismatch_IsRefusedEvenFromTheTrustedCa()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, SandboxDefaults.PkiPlan());
        var check = new ServerCertificateCheck(pki.CaCertificate);

        var accepted = check.Validate(this, pki.GatewayServerCertificate, null, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.False(accepted);
        Assert.Equal("the server certificate does not name the host called", check.LastRejection);
    }

    [Fact]
    public void ServerCertificateCheck_ChainErrorFromThePlatform_IsReplacedByTheDevelopmentCaVerdict()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, SandboxDefaults.PkiPlan());
        var check = new ServerCertificateCheck(pki.CaCertificate);

        Assert.True(check.Validate(this, pki.GatewayServerCertificate, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(check.Validate(this, pki.ParticipantCertificate("auditor"), null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Contains("not issued for server authentication", check.LastRejection, StringComparison.Ordinal);
    }
}
