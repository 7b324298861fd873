using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Exchange.Gateway.Audit;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Hosting;
using Exchange.PartnerSim.Hosting;
using Exchange.Pki;
using Grpc.Net.Client;

namespace Exchange.Gateway.Tests.Infrastructure;

/// <summary>
/// A real gateway on a loopback port with mTLS, in front of real simulated regions (TLS, their own certificates),
/// with a development PKI in a temporary directory: the topology of the sandbox, made fresh for a test class.
/// </summary>
public sealed class GatewayEnvironment : IAsyncDisposable
{
    /// <summary>The regions of the sandbox: the county, four partners and a more specific route inside Zhejiang.</summary>
    public static readonly string[] RegionCodes = ["341021", "310000", "320000", "330000", "330100", "340000"];

    private readonly string _directory;
    private readonly Dictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);

    private GatewayEnvironment(string directory, DevelopmentPki pki, DevelopmentPki foreignPki, IReadOnlyDictionary<string, PartnerRegionHost> regions, GatewayHost gateway)
    {
        _directory = directory;
        Pki = pki;
        ForeignPki = foreignPki;
        Regions = regions;
        Gateway = gateway;
    }

    /// <summary>The exchange's development PKI.</summary>
    public DevelopmentPki Pki { get; }

    /// <summary>Another CA's PKI, whose certificates the gateway must not trust.</summary>
    public DevelopmentPki ForeignPki { get; }

    /// <summary>The simulated regions by code.</summary>
    public IReadOnlyDictionary<string, PartnerRegionHost> Regions { get; }

    /// <summary>The gateway.</summary>
    public GatewayHost Gateway { get; }

    /// <summary>The environment's temporary directory (PKI, idempotency store, audit trail and keys).</summary>
    public string StateDirectory => _directory;

    /// <summary>
    /// Starts regions and a gateway; <paramref name="configure"/> may change the gateway options,
    /// <paramref name="configureHost"/> its services (e.g. a failing audit store).
    /// </summary>
    public static async Task<GatewayEnvironment> StartAsync(
        Func<GatewayOptions, GatewayOptions>? configure = null,
        Func<PartnerRegionOptions, PartnerRegionOptions>? configureRegion = null,
        Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configureHost = null)
    {
        var directory = Directory.CreateTempSubdirectory("exchange-gw-").FullName;
        var participants = TestParticipants.Configured();
        var pki = DevelopmentPki.LoadOrCreate(
            Path.Combine(directory, "pki"), new DevelopmentPkiPlan("341021", RegionCodes, [.. participants.Select(p => p.Id), TestParticipants.Stranger, TestParticipants.Auditor]));
        var foreign = DevelopmentPki.LoadOrCreate(
            Path.Combine(directory, "foreign"), new DevelopmentPkiPlan("341021", [], [TestParticipants.Hospital]));

        var regions = new Dictionary<string, PartnerRegionHost>(StringComparer.Ordinal);
        foreach (var code in RegionCodes)
        {
            var regionOptions = new PartnerRegionOptions
            {
                RegionCode = code,
                ResidentCount = 60,
                ArchiveSearchDelay = TimeSpan.FromMilliseconds(100),
                ServerCertificate = pki.RegionServerCertificate(code),
            };
            regions[code] = await PartnerRegionHost.StartAsync(configureRegion?.Invoke(regionOptions) ?? regionOptions);
        }

        var pkiDirectory = Path.Combine(directory, "pki");
        var options = new GatewayOptions
        {
            NodeId = "gateway-test",
            Listen = new Exchange.Gateway.Configuration.ListenOptions
            {
                Port = 0,
                ServerCertificatePath = Path.Combine(pkiDirectory, "gateway.crt"),
                ServerKeyPath = Path.Combine(pkiDirectory, "gateway.key"),
                ClientCaPath = pki.CaCertificatePath,
            },
            Outbound = new OutboundOptions
            {
                ClientCertificatePath = Path.Combine(pkiDirectory, "gateway-client.crt"),
                ClientKeyPath = Path.Combine(pkiDirectory, "gateway-client.key"),
                TrustedCaPath = pki.CaCertificatePath,
            },
            Participants = participants,
            Regions = [.. RegionCodes.Select(code => new RegionOptions { Code = code, Name = code, Endpoints = [regions[code].Address.ToString()] })],
            // A fresh idempotency store per environment: request_ids of one test run never meet another's.
            Idempotency = new IdempotencyOptions { SqlitePath = Path.Combine(directory, "gateway.db") },
            // And a fresh audit trail, with keys of its own, as the sandbox makes them.
            Audit = AuditSetup.WithDevelopmentKeys(
                new AuditOptions { SqlitePath = Path.Combine(directory, "audit.db"), ArchiveDirectory = Path.Combine(directory, "audit-archive") },
                directory),
            // The tests look at the spans of exchanges that start their own trace too; sampling has its own tests.
            Telemetry = new TelemetryOptions { TraceSampleRatio = 1 },
        };
        var gateway = await GatewayHost.StartAsync(configure?.Invoke(options) ?? options, configureHost);
        return new GatewayEnvironment(directory, pki, foreign, regions, gateway);
    }

    /// <summary>A channel to the gateway presenting <paramref name="participantId"/>'s certificate (cached).</summary>
    public GrpcChannel ChannelFor(string participantId)
    {
        lock (_channels)
        {
            if (!_channels.TryGetValue(participantId, out var channel))
            {
                channel = CreateChannel(Pki.ParticipantCertificate(participantId));
                _channels[participantId] = channel;
            }

            return channel;
        }
    }

    /// <summary>A channel presenting no client certificate.</summary>
    public GrpcChannel ChannelWithoutCertificate() => CreateChannel(null);

    /// <summary>A channel presenting a certificate for a configured participant id, but issued by another CA.</summary>
    public GrpcChannel ChannelWithForeignCertificate() => CreateChannel(ForeignPki.ParticipantCertificate(TestParticipants.Hospital));

    /// <summary>A channel to a simulated region directly (TLS, trusting the exchange CA).</summary>
    public GrpcChannel ChannelToRegion(string code) => CreateChannel(null, Regions[code].Address);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }

        await Gateway.DisposeAsync();
        foreach (var region in Regions.Values)
        {
            await region.DisposeAsync();
        }

        Pki.Dispose();
        ForeignPki.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private GrpcChannel CreateChannel(X509Certificate2? clientCertificate, Uri? address = null)
    {
        var ca = Pki.CaCertificate;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is X509Certificate2 presented && CertificateTrust.IsIssuedBy(presented, ca, CertificateUsage.ServerAuthentication, out _),
            },
        };
        return GrpcChannel.ForAddress(address ?? Gateway.Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}

/// <summary>One gateway environment shared by the tests of a class.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private GatewayEnvironment? _environment;

    /// <summary>The environment.</summary>
    public GatewayEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

    /// <inheritdoc />
    public async Task InitializeAsync() => _environment = await GatewayEnvironment.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
    }
}
