namespace Exchange.PartnerSim.SocialSecurity;

/// <summary>Registers the social-security card domain of a simulated region.</summary>
internal static class SocialSecuritySimulation
{
    public static IServiceCollection AddSocialSecuritySimulation(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapSocialSecuritySimulation(this IEndpointRouteBuilder endpoints) => endpoints;
}
