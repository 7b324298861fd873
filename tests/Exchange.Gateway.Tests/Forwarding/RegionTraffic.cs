using Exchange.Gateway.Tests.Infrastructure;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>
/// What every simulated region received from a point on, per gRPC path: proves that an exchange reached exactly the
/// region it was meant for, as often as it was meant to, and that no other region saw anything.
/// </summary>
internal sealed class RegionTraffic
{
    private readonly GatewayEnvironment _environment;
    private readonly Dictionary<(string Region, string Path), long> _before;

    private RegionTraffic(GatewayEnvironment environment)
    {
        _environment = environment;
        _before = Count(environment);
    }

    /// <summary>Starts counting now.</summary>
    public static RegionTraffic Start(GatewayEnvironment environment) => new(environment);

    /// <summary>Calls received since the start, by region and path; only those with at least one.</summary>
    public IReadOnlyDictionary<(string Region, string Path), long> Received()
    {
        var now = Count(_environment);
        return now
            .Select(p => (p.Key, Delta: p.Value - _before.GetValueOrDefault(p.Key)))
            .Where(p => p.Delta != 0)
            .ToDictionary(p => p.Key, p => p.Delta);
    }

    /// <summary>Asserts that exactly these calls arrived since the start, and nothing anywhere else.</summary>
    public void AssertExactly(params (string Region, string Path, long Count)[] expected)
    {
        static IEnumerable<string> Lines(IEnumerable<(string Region, string Path, long Count)> calls) =>
            calls.Select(c => $"{c.Region} {c.Path} x{c.Count}").Order(StringComparer.Ordinal);

        Assert.Equal(Lines(expected), Lines(Received().Select(p => (p.Key.Region, p.Key.Path, p.Value))));
    }

    /// <summary>Asserts that no region received anything since the start.</summary>
    public void AssertNothing() => AssertExactly();

    private static Dictionary<(string Region, string Path), long> Count(GatewayEnvironment environment) =>
        environment.Regions
            .SelectMany(region => region.Value.Statistics.Snapshot().Select(stats => (Key: (region.Key, stats.Path), stats.Received)))
            .ToDictionary(p => p.Key, p => p.Received);
}
