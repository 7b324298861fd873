namespace Exchange.Gateway.Routing;

/// <summary>A configured route: a region code and its endpoints, chosen round-robin.</summary>
internal sealed class RegionRoute(string code, string name, IReadOnlyList<RegionEndpoint> endpoints, bool fanOut)
{
    private int _next = -1;

    /// <summary>The route's region code (it covers every code inside it).</summary>
    public string Code { get; } = code;

    /// <summary>Display name.</summary>
    public string Name { get; } = name;

    /// <summary>The endpoints.</summary>
    public IReadOnlyList<RegionEndpoint> Endpoints { get; } = endpoints;

    /// <summary>Whether fan-out methods ask this region.</summary>
    public bool FanOut { get; } = fanOut;

    /// <summary>The next endpoint, round-robin.</summary>
    public RegionEndpoint NextEndpoint()
    {
        var index = (uint)Interlocked.Increment(ref _next) % (uint)Endpoints.Count;
        return Endpoints[(int)index];
    }
}
