namespace Exchange.Domain.Regions;

/// <summary>The three tiers of a GB/T 2260 code (2 + 2 + 2 digits).</summary>
public enum RegionLevel
{
    /// <summary>Province, autonomous region or municipality (code ends in 0000).</summary>
    Province,

    /// <summary>Prefecture-level division (code ends in 00).</summary>
    Prefecture,

    /// <summary>County-level division.</summary>
    County,
}
