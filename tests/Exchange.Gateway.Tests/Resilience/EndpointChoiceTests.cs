using Exchange.Contracts.Descriptors;
using Exchange.Gateway.Contracts;
using Exchange.Gateway.Resilience;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>How one call picks the endpoints of its attempts within a region.</summary>
public sealed class EndpointChoiceTests
{
    private static readonly MethodPlan PreSettle =
        MethodPlan.Compile(ContractSet.MethodsByPath["/exchange.medical.v1.CrossRegionSettlementService/PreSettle"]);

    [Fact]
    public void ChooseEndpoint_FirstAttempt_TakesTheRegionsRoundRobinChoice()
    {
        var call = new OutboundCall(PreSettle, new CallOptions());

        Assert.Equal(2, call.ChooseEndpoint(3, () => 2, _ => true));
    }

    [Fact]
    public void ChooseEndpoint_LaterAttempts_MoveToTheNextUntriedEndpoint()
    {
        var call = new OutboundCall(PreSettle, new CallOptions());

        var chosen = new[]
        {
            call.ChooseEndpoint(3, () => 1, _ => true),
            call.ChooseEndpoint(3, () => 1, _ => true),
            call.ChooseEndpoint(3, () => 1, _ => true),
        };

        Assert.Equal([1, 2, 0], chosen);
        Assert.False(call.HasUntried(3, _ => true));
    }

    [Fact]
    public void ChooseEndpoint_SkipsEndpointsWhoseBreakerIsOpen()
    {
        var call = new OutboundCall(PreSettle, new CallOptions());

        Assert.Equal(2, call.ChooseEndpoint(3, () => 0, index => index == 2));
    }

    [Fact]
    public void ChooseEndpoint_NoUsableEndpoint_StillReturnsOneToFailFastOn()
    {
        var call = new OutboundCall(PreSettle, new CallOptions());

        Assert.Equal(1, call.ChooseEndpoint(3, () => 1, _ => false));
    }
}
