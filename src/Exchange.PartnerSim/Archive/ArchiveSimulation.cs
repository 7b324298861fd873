using Exchange.Contracts.Archive.V1;
using Exchange.PartnerSim.Idempotency;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exchange.PartnerSim.Archive;

/// <summary>Registers the archive domain of a simulated region.</summary>
internal static class ArchiveSimulation
{
    /// <summary>
    /// Adds the archive's state, progress, issuer and verifier. Expects the host's singletons: options, clock,
    /// served region, population and <see cref="ArchiveSigningKey"/>.
    /// </summary>
    public static IServiceCollection AddArchiveSimulation(this IServiceCollection services)
    {
        services.TryAddSingleton<ArchiveLookupStore>();
        services.TryAddSingleton<ArchiveSearch>();
        services.TryAddSingleton<ArchiveCertificateIssuer>();
        services.TryAddSingleton<ArchiveCertificateVerifier>();
        services.TryAddSingleton<ArchiveLookupProgress>();
        services.TryAddSingleton<RequestIdLedger<SubmitArchiveLookupRequest, SubmitArchiveLookupResponse>>();
        return services;
    }

    /// <summary>Maps exchange.archive.v1.ArchiveService.</summary>
    public static IEndpointRouteBuilder MapArchiveSimulation(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<RegionArchiveService>();
        return endpoints;
    }
}
