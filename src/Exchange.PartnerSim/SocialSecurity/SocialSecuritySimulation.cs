using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exchange.PartnerSim.SocialSecurity;

/// <summary>Registers the social-security card domain of a simulated region.</summary>
internal static class SocialSecuritySimulation
{
    /// <summary>Adds the region's card and pension registry (one per region, seeded from its population).</summary>
    public static IServiceCollection AddSocialSecuritySimulation(this IServiceCollection services)
    {
        services.TryAddSingleton<SocialSecurityRegistry>();
        return services;
    }

    /// <summary>Maps <c>exchange.socialsecurity.v1.SocialSecurityCardService</c>.</summary>
    public static IEndpointRouteBuilder MapSocialSecuritySimulation(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<SimulatedCardService>();
        return endpoints;
    }
}
