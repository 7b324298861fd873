using Google.Protobuf.Reflection;

namespace Exchange.Gateway.Contracts;

/// <summary>How an exchange finds its region(s).</summary>
internal abstract record RoutingPlan
{
    /// <summary>Routed by the region code in a request field (longest-prefix match).</summary>
    public sealed record ByRegionField(FieldPath Field) : RoutingPlan;

    /// <summary>Sent to every fan-out region; answers merged into a repeated field, with a status per region.</summary>
    public sealed record FanOut(FieldDescriptor MergeField, FieldDescriptor RegionStatusField) : RoutingPlan;

    /// <summary>Answered by the gateway itself (the directory).</summary>
    public sealed record Local : RoutingPlan;
}
