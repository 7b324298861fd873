using Exchange.Domain.Regions;
using Exchange.PartnerSim.Population;
using Grpc.Core;

namespace Exchange.PartnerSim.Hosting;

/// <summary>
/// The region a simulator serves: its own code and every code inside it (330000 serves 330100 and 330102; a county
/// serves only itself). A request routed to the wrong region is answered NOT_FOUND naming both codes (region codes
/// are not personal data).
/// </summary>
public sealed class ServedRegion(PartnerRegionOptions options)
{
    private readonly string _prefix = RegionScope.PrefixOf(options.RegionCode);

    /// <summary>GB/T 2260 code of the region.</summary>
    public string Code { get; } = options.RegionCode;

    /// <summary>True if <paramref name="regionCode"/> is this region or inside it.</summary>
    public bool Covers(string regionCode) => regionCode.StartsWith(_prefix, StringComparison.Ordinal);

    /// <summary>Throws NOT_FOUND unless <paramref name="regionCode"/> (the value of <paramref name="field"/>) is served here.</summary>
    public void EnsureServed(string field, string regionCode)
    {
        if (!Covers(regionCode))
        {
            throw new RpcException(new Status(
                StatusCode.NotFound,
                $"{field} {regionCode} is not served by region {Code}; route the request to the region that holds the data"));
        }
    }
}
