namespace Exchange.PartnerSim.Credit;

/// <summary>Registers the credit domain of a simulated region.</summary>
internal static class CreditSimulation
{
    public static IServiceCollection AddCreditSimulation(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapCreditSimulation(this IEndpointRouteBuilder endpoints) => endpoints;
}
