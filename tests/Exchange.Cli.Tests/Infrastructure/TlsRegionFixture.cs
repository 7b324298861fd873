using Exchange.Cli;
using Exchange.PartnerSim.Hosting;
using Exchange.Pki;

namespace Exchange.Cli.Tests.Infrastructure;

/// <summary>
/// A simulated Shanghai (310000) served over TLS with its certificate from a temporary development PKI: what the CLI
/// calls in its tests, as it would call the gateway. The simulator does not ask for client certificates.
/// </summary>
public sealed class TlsRegionFixture : IAsyncLifetime
{
    // A path, not a TemporaryDirectory: the fixture's lifetime is xunit's IAsyncLifetime, which deletes it.
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "exchange-cli-" + Guid.NewGuid().ToString("N"));
    private DevelopmentPki? _pki;
    private PartnerRegionHost? _host;

    /// <summary>Directory of the PKI the region's certificate comes from.</summary>
    public string PkiDirectory => _directory;

    public PartnerRegionHost Host => _host ?? throw new InvalidOperationException("not started");

    /// <summary>The region's https address on 127.0.0.1.</summary>
    public string Address => Host.Address.ToString();

    public async Task InitializeAsync()
    {
        _pki = DevelopmentPki.LoadOrCreate(_directory, SandboxDefaults.PkiPlan());
        _host = await PartnerRegionHost.StartAsync(new PartnerRegionOptions
        {
            RegionCode = "310000",
            ServerCertificate = _pki.RegionServerCertificate("310000"),
            ArchiveSearchDelay = TimeSpan.FromMilliseconds(700),
        });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _pki?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail the tests.
        }
    }
}
