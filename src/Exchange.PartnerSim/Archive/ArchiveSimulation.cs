namespace Exchange.PartnerSim.Archive;

/// <summary>Registers the archive domain of a simulated region.</summary>
internal static class ArchiveSimulation
{
    public static IServiceCollection AddArchiveSimulation(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapArchiveSimulation(this IEndpointRouteBuilder endpoints) => endpoints;
}
