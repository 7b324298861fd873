using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exchange.PartnerSim.Credit;

/// <summary>Registers the credit domain of a simulated region.</summary>
internal static class CreditSimulation
{
    /// <summary>Adds the region's credit-record registry (one per region, seeded from its population).</summary>
    public static IServiceCollection AddCreditSimulation(this IServiceCollection services)
    {
        services.TryAddSingleton<CreditRegistry>();
        return services;
    }

    /// <summary>Maps <c>exchange.credit.v1.CreditService</c>.</summary>
    public static IEndpointRouteBuilder MapCreditSimulation(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<SimulatedCreditService>();
        return endpoints;
    }
}
