using Exchange.Gateway.Audit;
using Exchange.Gateway.Configuration;
using Exchange.PartnerSim.Hosting;
using Exchange.Pki;

namespace Exchange.Gateway.Sandbox;

/// <summary>
/// The embedded default: a development PKI and development audit keys (subject-hash key, checkpoint signing key)
/// under the state directory (made on first run, reused after) and one simulated region in-process, on a loopback
/// port over TLS, for every configured region without endpoints. The gateway then runs exactly as in production,
/// against these endpoints.
/// </summary>
public sealed class SandboxEnvironment : IAsyncDisposable
{
    private readonly List<PartnerRegionHost> _regions;

    private SandboxEnvironment(GatewayOptions options, DevelopmentPki pki, List<PartnerRegionHost> regions)
    {
        Options = options;
        Pki = pki;
        _regions = regions;
    }

    /// <summary>The gateway options with certificate paths, audit keys and region endpoints filled in.</summary>
    public GatewayOptions Options { get; }

    /// <summary>The development PKI.</summary>
    public DevelopmentPki Pki { get; }

    /// <summary>The simulated regions.</summary>
    public IReadOnlyList<PartnerRegionHost> Regions => _regions;

    /// <summary>Makes the PKI and the audit keys, and starts a simulated region for every region without endpoints.</summary>
    public static async Task<SandboxEnvironment> StartAsync(GatewayOptions options, CancellationToken cancellationToken = default)
    {
        var state = SandboxStateDirectory.Resolve(options.Sandbox.StateDirectory);
        var pkiDirectory = Path.Combine(state, "pki");
        var pki = DevelopmentPki.LoadOrCreate(
            pkiDirectory,
            new DevelopmentPkiPlan(options.CountyRegion, [.. options.Regions.Select(r => r.Code)], [.. options.Participants.Select(p => p.Id)]));
        var audit = AuditSetup.WithDevelopmentKeys(options.Audit, state);

        var hosts = new List<PartnerRegionHost>();
        var regions = new List<RegionOptions>();
        try
        {
            foreach (var region in options.Regions)
            {
                if (region.Endpoints.Length > 0)
                {
                    regions.Add(region);
                    continue;
                }

                var host = await PartnerRegionHost.StartAsync(
                    new PartnerRegionOptions
                    {
                        RegionCode = region.Code,
                        Seed = options.Sandbox.Seed,
                        ArchiveSearchDelay = options.Sandbox.ArchiveSearchDelay,
                        ServerCertificate = pki.RegionServerCertificate(region.Code),
                    },
                    cancellationToken).ConfigureAwait(false);
                hosts.Add(host);
                regions.Add(region with { Endpoints = [host.Address.ToString()] });
            }
        }
        catch
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        var completed = options with
        {
            Regions = [.. regions],
            Listen = options.Listen with
            {
                ServerCertificatePath = Path.Combine(pkiDirectory, "gateway.crt"),
                ServerKeyPath = Path.Combine(pkiDirectory, "gateway.key"),
                ClientCaPath = pki.CaCertificatePath,
            },
            Outbound = options.Outbound with
            {
                ClientCertificatePath = Path.Combine(pkiDirectory, "gateway-client.crt"),
                ClientKeyPath = Path.Combine(pkiDirectory, "gateway-client.key"),
                TrustedCaPath = pki.CaCertificatePath,
            },
            Audit = audit,
        };
        return new SandboxEnvironment(completed, pki, hosts);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var region in _regions)
        {
            await region.DisposeAsync().ConfigureAwait(false);
        }

        Pki.Dispose();
    }
}
