using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exchange.Gateway.Resilience;

/// <summary>Registers the gateway's resilience: pipelines per route and endpoint, participant rate limits, their metrics.</summary>
internal static class ResilienceServiceCollectionExtensions
{
    public static IServiceCollection AddResilience(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<ResilienceTelemetry>();
        services.TryAddSingleton<OutboundResilience>();
        services.TryAddSingleton<ParticipantRateLimiter>();
        return services;
    }
}
