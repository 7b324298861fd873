using System.Collections.Frozen;
using Exchange.Domain.Regions;

namespace Exchange.Gateway.Routing;

/// <summary>
/// Routes by longest-prefix match on GB/T 2260 codes: a route for 330100 (Hangzhou) wins over one for 330000
/// (Zhejiang) for 330102, and the 330000 route serves every other Zhejiang code. The county's own systems are just
/// another route, so inbound and outbound exchanges take the same path.
/// </summary>
internal sealed class RouteTable : IDisposable
{
    private readonly FrozenDictionary<string, RegionRoute> _byPrefix;

    /// <summary>Builds the table; route codes must be distinct.</summary>
    public RouteTable(IEnumerable<RegionRoute> routes)
    {
        Routes = [.. routes.OrderBy(r => r.Code, StringComparer.Ordinal)];
        _byPrefix = Routes.ToFrozenDictionary(r => RegionScope.PrefixOf(r.Code), StringComparer.Ordinal);
        FanOutRoutes = [.. Routes.Where(r => r.FanOut)];
    }

    /// <summary>Every route, ordered by code.</summary>
    public IReadOnlyList<RegionRoute> Routes { get; }

    /// <summary>The routes fan-out methods ask.</summary>
    public IReadOnlyList<RegionRoute> FanOutRoutes { get; }

    /// <summary>The most specific route covering <paramref name="regionCode"/>, or null when none does.</summary>
    public RegionRoute? Resolve(string regionCode)
    {
        if (regionCode.Length != 6)
        {
            return null;
        }

        // Prefixes of a code are its county (6), prefecture (4) and province (2) scopes: try the longest first.
        var lookup = _byPrefix.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var length in (ReadOnlySpan<int>)[6, 4, 2])
        {
            if (lookup.TryGetValue(regionCode.AsSpan(0, length), out var route))
            {
                return route;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var endpoint in Routes.SelectMany(r => r.Endpoints))
        {
            endpoint.Dispose();
        }
    }
}
