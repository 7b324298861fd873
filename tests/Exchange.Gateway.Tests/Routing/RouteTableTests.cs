using Exchange.Gateway.Routing;

namespace Exchange.Gateway.Tests.Routing;

/// <summary>Longest-prefix resolution of GB/T 2260 codes over the configured routes.</summary>
public sealed class RouteTableTests
{
    /// <summary>The sandbox's routes plus a prefecture (Huangshan) between Anhui and She County.</summary>
    private static RouteTable Table(params string[] codes) =>
        new(codes.Select(code => new RegionRoute(code, code, [], fanOut: code != "341000")));

    private static readonly string[] SandboxRoutes = ["341021", "310000", "320000", "330000", "330100", "340000"];

    [Theory]
    [InlineData("330102", "330100")] // a Hangzhou district: the Hangzhou route beats the Zhejiang one
    [InlineData("330100", "330100")] // the prefecture itself
    [InlineData("330522", "330000")] // Huzhou: no prefecture route, so the province
    [InlineData("330000", "330000")]
    [InlineData("341021", "341021")] // the county's own systems
    [InlineData("341022", "340000")] // another Huangshan county: a county route covers only itself
    [InlineData("341000", "340000")] // Huangshan itself
    [InlineData("340100", "340000")] // Hefei
    [InlineData("310101", "310000")] // a Shanghai district
    [InlineData("320100", "320000")]
    public void Resolve_CodeInsideARoute_ReturnsTheMostSpecificRoute(string code, string expected)
    {
        using var table = Table(SandboxRoutes);

        Assert.Equal(expected, table.Resolve(code)?.Code);
    }

    [Theory]
    [InlineData("110000")] // Beijing: a valid code no route covers
    [InlineData("110101")]
    [InlineData("350100")] // Fuzhou
    [InlineData("")]
    [InlineData("34")] // a prefix is not a code
    [InlineData("3410")]
    [InlineData("3410210")] // too long, though it starts like She County
    [InlineData("34102")]
    public void Resolve_CodeNoRouteCovers_ReturnsNull(string code)
    {
        using var table = Table(SandboxRoutes);

        Assert.Null(table.Resolve(code));
    }

    [Theory]
    [InlineData("341021", "341021")]
    [InlineData("341022", "341000")]
    [InlineData("341000", "341000")]
    [InlineData("340100", "340000")]
    public void Resolve_ProvincePrefectureAndCountyRoutes_PicksTheLongestOfTheThree(string code, string expected)
    {
        using var table = Table("340000", "341000", "341021");

        Assert.Equal(expected, table.Resolve(code)?.Code);
    }

    [Fact]
    public void Resolve_OnlyAPrefectureRoute_DoesNotCoverTheRestOfItsProvince()
    {
        using var table = Table("330100");

        Assert.Equal("330100", table.Resolve("330106")?.Code);
        Assert.Null(table.Resolve("330522"));
        Assert.Null(table.Resolve("330000"));
    }

    [Fact]
    public void Routes_AreOrderedByCode_AndFanOutRoutesAreThoseMarkedForFanOut()
    {
        using var table = Table("341021", "341000", "310000", "340000");

        Assert.Equal(["310000", "340000", "341000", "341021"], table.Routes.Select(r => r.Code));
        Assert.Equal(["310000", "340000", "341021"], table.FanOutRoutes.Select(r => r.Code));
    }

    [Fact]
    public void Constructor_TwoRoutesForOneCode_Throws()
    {
        Assert.Throws<ArgumentException>(() => Table("310000", "310000"));
    }
}
