using Exchange.Gateway.Configuration;

namespace Exchange.Gateway.Resilience;

/// <summary>The settings in force for one route: the general ones, with the route's override applied.</summary>
internal sealed record RouteSettings(RetryOptions Retry, RetryBudgetOptions RetryBudget, HedgingOptions Hedging, BulkheadOptions Bulkhead);

/// <summary>The settings in force for one endpoint: the general ones, then its route's override, then its own.</summary>
internal sealed record EndpointSettings(TimeSpan AttemptTimeout, CircuitBreakerOptions CircuitBreaker);

/// <summary>Applies the overrides of the "Resilience" section (validated at start) to a route or an endpoint.</summary>
internal static class ResilienceSettings
{
    /// <summary>The settings of route <paramref name="regionCode"/>.</summary>
    public static RouteSettings ForRoute(ResilienceOptions options, string regionCode)
    {
        var route = RouteOverride(options, regionCode);
        return new RouteSettings(
            route?.Retry ?? options.Retry,
            route?.RetryBudget ?? options.RetryBudget,
            route?.Hedging ?? options.Hedging,
            route?.Bulkhead ?? options.Bulkhead);
    }

    /// <summary>The settings of endpoint <paramref name="address"/> of route <paramref name="regionCode"/>.</summary>
    public static EndpointSettings ForEndpoint(ResilienceOptions options, string regionCode, Uri address)
    {
        var route = RouteOverride(options, regionCode);
        var own = options.Overrides.FirstOrDefault(o =>
            o.Region == regionCode && o.Endpoint is not null && Uri.TryCreate(o.Endpoint, UriKind.Absolute, out var uri) && uri == address);
        return new EndpointSettings(
            own?.AttemptTimeout ?? route?.AttemptTimeout ?? options.AttemptTimeout,
            own?.CircuitBreaker ?? route?.CircuitBreaker ?? options.CircuitBreaker);
    }

    private static ResilienceOverrideOptions? RouteOverride(ResilienceOptions options, string regionCode) =>
        options.Overrides.FirstOrDefault(o => o.Region == regionCode && o.Endpoint is null);
}
