using System.Net;
using System.Security.Cryptography;
using Exchange.Domain.Regions;
using Exchange.PartnerSim.Archive;
using Exchange.PartnerSim.Control;
using Exchange.PartnerSim.Credit;
using Exchange.PartnerSim.RegionDirectory;
using Exchange.PartnerSim.Faults;
using Exchange.PartnerSim.Medical;
using Exchange.PartnerSim.Observation;
using Exchange.PartnerSim.Population;
using Exchange.PartnerSim.SocialSecurity;
using Exchange.PartnerSim.Validation;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Exchange.PartnerSim.Hosting;

/// <summary>
/// A simulated partner region serving all four exchange domains on a real HTTP/2 socket. Runs stand-alone
/// (<c>Program</c>) or hosted in another process (tests, the gateway's sandbox).
/// </summary>
public sealed class PartnerRegionHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PartnerRegionHost(WebApplication app, PartnerRegionOptions options, Uri address)
    {
        _app = app;
        Options = options;
        Address = address;
        Population = app.Services.GetRequiredService<RegionPopulation>();
        Faults = app.Services.GetRequiredService<FaultInjection>();
        Statistics = app.Services.GetRequiredService<CallStatistics>();
        Services = app.Services;
    }

    /// <summary>The options it was started with.</summary>
    public PartnerRegionOptions Options { get; }

    /// <summary>GB/T 2260 code of the simulated region.</summary>
    public string RegionCode => Options.RegionCode;

    /// <summary>Where it listens (http:// for h2c, https:// with TLS).</summary>
    public Uri Address { get; }

    /// <summary>The seeded people, organisations and holdings (as at start; state changes live in the domain stores).</summary>
    public RegionPopulation Population { get; }

    /// <summary>The faults in force; change them at run time with <see cref="FaultInjection.Set"/>.</summary>
    public FaultInjection Faults { get; }

    /// <summary>What the simulator has seen.</summary>
    public CallStatistics Statistics { get; }

    /// <summary>The simulator's services (domain stores), for in-process inspection.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Completes when the server stops (after a crash fault or <see cref="StopAsync"/>).</summary>
    public Task Stopped => _app.WaitForShutdownAsync();

    /// <summary>Starts a simulated region and returns once it listens.</summary>
    public static async Task<PartnerRegionHost> StartAsync(PartnerRegionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Domain.Regions.RegionCode.TryParse(options.RegionCode, out var error))
        {
            throw new ArgumentException($"region code {options.RegionCode}: {error}", nameof(options));
        }

        FaultInjection.Validate(options.Faults);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        // Per-request framework logs would cost more than the simulated work itself.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Parse(options.ListenAddress), options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (options.ServerCertificate is { } certificate)
                {
                    listen.UseHttps(certificate);
                }
            });
        });

        var clock = new RegionClock(options.TimeProvider);
        var population = PopulationSeeder.Create(options.RegionCode, options.Seed, clock.Today, options.ResidentCount);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(clock);
        services.AddSingleton<ServedRegion>();
        services.AddSingleton(population);
        services.AddSingleton(new CallStatistics(options.TimeProvider));
        services.AddSingleton(provider => new FaultInjection(
            options.Faults, options.TimeProvider, options.Seed, CrashAction(provider, options)));
        services.AddSingleton(_ => new ArchiveSigningKey(options.SigningKey ?? ECDsa.Create(ECCurve.NamedCurves.nistP256)));
        services.AddGrpc(grpc =>
        {
            // Order matters: count every call, then inject faults, then validate, as a real system behind a network would.
            grpc.Interceptors.Add<ObservingInterceptor>();
            grpc.Interceptors.Add<FaultInjectionInterceptor>();
            grpc.Interceptors.Add<ValidatingInterceptor>();
        });
        services.AddMedicalSimulation();
        services.AddSocialSecuritySimulation();
        services.AddCreditSimulation();
        services.AddArchiveSimulation();

        var app = builder.Build();
        app.MapMedicalSimulation();
        app.MapSocialSecuritySimulation();
        app.MapCreditSimulation();
        app.MapArchiveSimulation();
        app.MapGrpcService<RegionDirectoryService>();
        app.MapGrpcService<SimulatorControlService>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PartnerRegionHost(app, options, new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>Stops listening and ends open calls.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default) =>
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(quick.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static Action CrashAction(IServiceProvider provider, PartnerRegionOptions options) =>
        options.ExitProcessOnCrash
            ? () => Environment.Exit(70)
            : () =>
            {
                // A cancelled token makes Kestrel abort every connection at once, as a crashed process would.
                var lifetime = provider.GetRequiredService<IHostApplicationLifetime>();
                var server = provider.GetRequiredService<IServer>();
                _ = Task.Run(async () =>
                {
                    await server.StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
                    lifetime.StopApplication();
                });
            };
}
