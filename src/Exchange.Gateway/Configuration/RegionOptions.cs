namespace Exchange.Gateway.Configuration;

/// <summary>A route: a region code and the endpoints that serve it.</summary>
public sealed record RegionOptions
{
    /// <summary>
    /// GB/T 2260 code. It covers itself and every code inside it (330000 covers 330100); the most specific route wins.
    /// </summary>
    public string Code { get; init; } = "";

    /// <summary>Display name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Endpoint addresses (https:// with TLS, http:// for h2c); empty only in the sandbox, which fills them.</summary>
    public string[] Endpoints { get; init; } = [];

    /// <summary>Whether fan-out methods ask this region. Default true.</summary>
    public bool FanOut { get; init; } = true;
}
