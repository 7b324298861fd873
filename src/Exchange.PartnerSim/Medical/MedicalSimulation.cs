namespace Exchange.PartnerSim.Medical;

/// <summary>Registers the medical-settlement domain of a simulated region.</summary>
internal static class MedicalSimulation
{
    public static IServiceCollection AddMedicalSimulation(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapMedicalSimulation(this IEndpointRouteBuilder endpoints) => endpoints;
}
