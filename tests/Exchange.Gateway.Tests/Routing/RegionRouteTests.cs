using Exchange.Gateway.Routing;
using Grpc.Net.Client;

namespace Exchange.Gateway.Tests.Routing;

/// <summary>Endpoint selection within a region.</summary>
public sealed class RegionRouteTests
{
    [Fact]
    public void NextEndpoint_SeveralEndpoints_TakesThemInTurn()
    {
        using var table = new RouteTable([new RegionRoute("310000", "上海", [Endpoint(1), Endpoint(2), Endpoint(3)], fanOut: true)]);
        var route = table.Resolve("310101")!;

        var chosen = Enumerable.Range(0, 7).Select(_ => route.NextEndpoint().Address.Port).ToArray();

        Assert.Equal([9001, 9002, 9003, 9001, 9002, 9003, 9001], chosen);
    }

    [Fact]
    public void NextEndpoint_OneEndpoint_AlwaysThatOne()
    {
        using var table = new RouteTable([new RegionRoute("341021", "歙县", [Endpoint(1)], fanOut: true)]);
        var route = table.Resolve("341021")!;

        Assert.All(Enumerable.Range(0, 3), _ => Assert.Equal(9001, route.NextEndpoint().Address.Port));
    }

    // A channel connects only when called, so none of these touches the network.
    private static RegionEndpoint Endpoint(int n)
    {
        var address = new Uri($"https://region-{n}.example:{9000 + n}");
        return new RegionEndpoint("310000", address, GrpcChannel.ForAddress(address));
    }
}
