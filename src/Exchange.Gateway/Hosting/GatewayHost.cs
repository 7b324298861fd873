using System.Net;
using System.Security.Cryptography.X509Certificates;
using Exchange.Contracts.Descriptors;
using Exchange.Gateway.Audit;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Contracts;
using Exchange.Gateway.Discovery;
using Exchange.Gateway.Forwarding;
using Exchange.Gateway.Idempotency;
using Exchange.Gateway.Resilience;
using Exchange.Gateway.Routing;
using Exchange.Gateway.Security;
using Exchange.Gateway.Telemetry;
using Grpc.AspNetCore.Server.Model;
using Grpc.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Exchange.Gateway.Hosting;

/// <summary>
/// The gateway process: Kestrel on HTTP/2 with mTLS, every method of the contract set served by the generic
/// handlers, the directory, the audit trail and its AuditService, gRPC health checking and server reflection.
/// Started by <c>Program</c> or in-process by tests.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, GatewayOptions options, Uri address)
    {
        _app = app;
        Options = options;
        Address = address;
    }

    /// <summary>The options it runs with (after the sandbox filled them in, if enabled).</summary>
    public GatewayOptions Options { get; }

    /// <summary>Where it listens (https://, mTLS).</summary>
    public Uri Address { get; }

    /// <summary>The gateway's services, for in-process inspection.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Validates the options, starts the gateway and returns once it listens.</summary>
    /// <exception cref="GatewayConfigurationException">
    /// The options are invalid (every error is listed), the idempotency store they name cannot be opened, or the audit
    /// checkpoint key cannot be loaded.
    /// </exception>
    public static async Task<GatewayHost> StartAsync(GatewayOptions options, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        GatewayOptionsValidator.ThrowIfInvalid(options);
        RaiseThreadPoolMinimum();
        var builder = WebApplication.CreateSlimBuilder();
        ConfigureKestrel(builder, options);
        AddGateway(builder.Services, options);
        builder.AddGatewayTelemetry(options);
        configure?.Invoke(builder);

        var app = builder.Build();
        try
        {
            await app.Services.InitializeIdempotencyStoreAsync(options, cancellationToken).ConfigureAwait(false);
            app.Services.LoadAuditKeys();
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        app.MapGrpcService<ExchangeEndpoint>();
        app.MapGrpcService<GatewayDirectoryService>();
        app.MapGrpcService<GatewayAuditService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcService<ReflectionServiceImpl>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<GatewayHost>();
        var methodCount = app.Services.GetRequiredService<MethodPlanCatalog>().Plans.Count;
        GatewayLog.Started(logger, options.NodeId, methodCount, bound, options.Regions.Length);
        return new GatewayHost(app, options, bound);
    }

    /// <summary>Stops the gateway.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default) => await _app.StopAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Completes when the gateway shuts down.</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(quick.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder, GatewayOptions options)
    {
        var serverCertificate = CertificateFiles.LoadWithKey(options.Listen.ServerCertificatePath!, options.Listen.ServerKeyPath!);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 256;
            kestrel.Listen(IPAddress.Parse(options.Listen.Address), options.Listen.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serverCertificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    // Accepted at the handshake and checked per call against the exchange CA (CallerIdentity), so a
                    // bad certificate is answered UNAUTHENTICATED with a reason instead of a dropped connection.
                    ClientCertificateValidation = static (_, _, _) => true,
                });
            });
            if (options.Listen.PlaintextPort != 0)
            {
                kestrel.Listen(IPAddress.Parse(options.Listen.Address), options.Listen.PlaintextPort, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });
    }

    private static void AddGateway(IServiceCollection services, GatewayOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MethodPlanCatalog>();
        services.AddSingleton(RouteTableFactory.Create(options));
        var clientCa = options.Listen.ClientCaPath is { } ca ? CertificateFiles.LoadCertificate(ca) : null;
        services.AddSingleton(provider => new CallerIdentity(
            clientCa,
            options.Participants,
            options.Listen.PlaintextPort != 0 ? options.Listen.PlaintextParticipant : null,
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Admission>();
        services.AddSingleton<OutboundCalls>();
        services.AddResilience();
        services.AddSingleton<Forwarder>();
        services.AddSingleton<FanOutForwarder>();
        services.AddIdempotency(options);
        services.AddAudit(options);
        services.AddSingleton<ExchangeEndpoint>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<ExchangeEndpoint>, GatewayMethodProvider>());
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.Limits.MaxRequestBytes;
            grpc.MaxSendMessageSize = options.Limits.MaxResponseBytes;
        });
        // Serving once started. An open circuit is Degraded (still SERVING: other regions are served); an audit trail
        // that cannot make records durable is Unhealthy, which gRPC health reports as NOT_SERVING: every exchange is
        // then refused.
        services.AddGrpcHealthChecks()
            .AddCheck("gateway", static () => HealthCheckResult.Healthy("routes and participants loaded"))
            .AddCheck<CircuitBreakerHealthCheck>("partner-circuits")
            .AddCheck<AuditHealthCheck>("audit-trail");
        services.AddSingleton(new ReflectionServiceImpl(
            ContractSet.Services.Append(Grpc.Health.V1.Health.Descriptor).Append(Grpc.Reflection.V1Alpha.ServerReflection.Descriptor)));
    }

    /// <summary>
    /// The SQLite stores block a pool thread for each write (Microsoft.Data.Sqlite is synchronous under its async API,
    /// and waits out a busy database): the audit writer, its checkpoints, an idempotency write behind a stalled file.
    /// With the default minimum (one thread per core) two such waits on a small machine left nothing to run the
    /// request path until the pool grew, half a second later — longer than a caller's deadline margin.
    /// </summary>
    private static void RaiseThreadPoolMinimum()
    {
        const int Minimum = 16;
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < Minimum)
        {
            ThreadPool.SetMinThreads(Minimum, completionPorts);
        }
    }
}
