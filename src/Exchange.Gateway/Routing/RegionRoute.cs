namespace Exchange.Gateway.Routing;

/// <summary>
/// A configured route: a region code and its endpoints. Which endpoint an attempt uses (round-robin, skipping open
/// breakers, hedging) is the resilience layer's choice: see Resilience/RegionResilience.
/// </summary>
internal sealed class RegionRoute(string code, string name, IReadOnlyList<RegionEndpoint> endpoints, bool fanOut)
{
    /// <summary>The route's region code (it covers every code inside it).</summary>
    public string Code { get; } = code;

    /// <summary>Display name.</summary>
    public string Name { get; } = name;

    /// <summary>The endpoints.</summary>
    public IReadOnlyList<RegionEndpoint> Endpoints { get; } = endpoints;

    /// <summary>Whether fan-out methods ask this region.</summary>
    public bool FanOut { get; } = fanOut;
}
