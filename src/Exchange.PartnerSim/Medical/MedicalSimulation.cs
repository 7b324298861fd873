using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exchange.PartnerSim.Medical;

/// <summary>Registers the medical-settlement domain of a simulated region.</summary>
internal static class MedicalSimulation
{
    /// <summary>Adds the settlement ledger (also the region's <see cref="ISettlementCounter"/>).</summary>
    public static IServiceCollection AddMedicalSimulation(this IServiceCollection services)
    {
        services.TryAddSingleton<SettlementLedger>();
        services.TryAddSingleton<ISettlementCounter>(provider => provider.GetRequiredService<SettlementLedger>());
        return services;
    }

    /// <summary>Serves exchange.medical.v1.CrossRegionSettlementService.</summary>
    public static IEndpointRouteBuilder MapMedicalSimulation(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<CrossRegionSettlementSimulator>();
        return endpoints;
    }
}
