using Exchange.Contracts.Medical.V1;
using Exchange.Gateway.Contracts;
using Exchange.Gateway.Forwarding;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>
/// The raw-byte method of a plan is one instance for the life of the gateway: Grpc.Net.Client keeps a per-channel
/// cache keyed by the method instance, which grew by one entry per exchange (a leak, and long GC pauses) while every
/// call made its own.
/// </summary>
public sealed class RawBytesTests
{
    [Fact]
    public void MethodOf_SamePlan_IsTheSameInstanceEveryTime()
    {
        var plan = MethodPlan.Compile(CrossRegionSettlementService.Descriptor.FindMethodByName("PreSettle"));

        var first = RawBytes.MethodOf(plan);

        Assert.Same(first, RawBytes.MethodOf(plan));
        Assert.Equal("/exchange.medical.v1.CrossRegionSettlementService/PreSettle", first.FullName);
    }

    [Fact]
    public void MethodOf_TwoPlans_AreTwoMethods()
    {
        var preSettle = RawBytes.MethodOf(MethodPlan.Compile(CrossRegionSettlementService.Descriptor.FindMethodByName("PreSettle")));
        var settle = RawBytes.MethodOf(MethodPlan.Compile(CrossRegionSettlementService.Descriptor.FindMethodByName("Settle")));

        Assert.NotSame(preSettle, settle);
        Assert.Equal("Settle", settle.Name);
    }
}
