using System.Collections.Concurrent;
using Exchange.Pki;
using Grpc.Core;
using Grpc.Net.Client;

namespace Exchange.Cli.Connection;

/// <summary>
/// One mTLS channel per participant to the gateway, each presenting that participant's development certificate:
/// how the demo speaks as several systems at once. Channels are made on first use and disposed together.
/// </summary>
/// <param name="gateway">The gateway's address (https).</param>
/// <param name="pki">The development PKI holding the participants' certificates and the CA.</param>
public sealed class ParticipantChannels(Uri gateway, DevelopmentPki pki) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<GrpcChannel>> _channels = new(StringComparer.Ordinal);

    /// <summary>The gateway called.</summary>
    public Uri Gateway { get; } = gateway;

    /// <summary>The check of the gateway's certificate; its <see cref="ServerCertificateCheck.LastRejection"/> says why a handshake failed.</summary>
    public ServerCertificateCheck Check { get; } = new(pki.CaCertificate);

    /// <summary>The channel of <paramref name="participantId"/>.</summary>
    /// <exception cref="ArgumentException">The participant has no certificate in the PKI.</exception>
    public GrpcChannel ChannelFor(string participantId) =>
        _channels.GetOrAdd(participantId, id => new Lazy<GrpcChannel>(() =>
            MutualTlsChannel.Create(Gateway, pki.ParticipantCertificate(id), pki.CaCertificate, Check))).Value;

    /// <summary>A call invoker speaking as <paramref name="participantId"/>; the demo's channel factory.</summary>
    public CallInvoker For(string participantId) => ChannelFor(participantId).CreateCallInvoker();

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var channel in _channels.Values.Where(c => c.IsValueCreated))
        {
            channel.Value.Dispose();
        }
    }
}
