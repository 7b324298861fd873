using System.Security.Cryptography;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Forwarding;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exchange.Gateway.Audit;

/// <summary>Registers the audit trail of the request path, its keys and store, and the services that run it.</summary>
internal static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// The store, keys, trail (a hosted service, started before the gateway listens), retention loop and the
    /// request path's auditor, from <paramref name="options"/>' "Audit" section with the host's defaults
    /// (<see cref="AuditSetup.Resolve"/>). Every registration is a TryAdd: a test may put its own store first.
    /// </summary>
    public static IServiceCollection AddAudit(this IServiceCollection services, GatewayOptions options)
    {
        var audit = AuditSetup.Resolve(options);
        services.TryAddSingleton(audit);
        services.TryAddSingleton(_ => AuditStoreFactory.Create(audit, audit.SqlitePath));
        services.TryAddSingleton(_ => AuditCheckpointSigner.Load(audit.CheckpointKeyPath!));
        services.TryAddSingleton(_ => AuditSubjectHasher.FromOptions(audit));
        services.TryAddSingleton(provider => new AuditTrail(
            provider.GetRequiredService<IAuditStore>(),
            provider.GetRequiredService<AuditCheckpointSigner>(),
            audit,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<AuditTrail>>()));
        services.TryAddSingleton(provider => provider.GetRequiredService<AuditTrail>().Health);
        services.TryAddSingleton(provider => new AuditRetention(
            provider.GetRequiredService<IAuditStore>(),
            audit,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<AuditRetention>>()));
        services.TryAddSingleton<ExchangeAuditor>();
        services.AddHostedService<AuditTrailService>();
        services.AddHostedService<AuditRetentionService>();
        return services;
    }

    /// <summary>
    /// Loads the checkpoint key before the gateway starts, so an unusable key file is a configuration error naming
    /// the setting, not a failure at the first checkpoint (the subject-hash key is checked by validation).
    /// </summary>
    /// <exception cref="GatewayConfigurationException">A key cannot be loaded.</exception>
    public static void LoadAuditKeys(this IServiceProvider services)
    {
        var audit = services.GetRequiredService<AuditOptions>();
        try
        {
            services.GetRequiredService<AuditCheckpointSigner>();
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new GatewayConfigurationException([$"Audit.CheckpointKeyPath: '{audit.CheckpointKeyPath}' holds no usable ECDSA P-256 private key: {e.Message}"]);
        }
    }
}
