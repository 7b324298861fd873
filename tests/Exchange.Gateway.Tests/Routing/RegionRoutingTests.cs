using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Privacy;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.PartnerSim.Hosting;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Routing;

/// <summary>
/// Region-code routing end to end: each code reaches the simulator of the most specific route covering it, and a
/// code no route covers is refused before anything leaves the gateway, whatever the method's streaming shape.
/// </summary>
public sealed class RegionRoutingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string NoRouteMessage = "no route for region 110000: this gateway exchanges with no system serving that code";

    [Theory]
    [InlineData("330102", "330100")] // a Hangzhou district goes to Hangzhou, not to Zhejiang
    [InlineData("330522", "330000")] // Huzhou has no route of its own: Zhejiang
    [InlineData("341021", "341021")] // the county's own systems
    [InlineData("340100", "340000")] // Hefei: Anhui
    [InlineData("310101", "310000")]
    public async Task VerifyCard_IssuingRegionCode_ReachesTheSimulatorOfTheLongestMatchingRoute(string issuingRegion, string simulator)
    {
        var environment = fixture.Environment;
        var card = Seeded.ValidCard(environment.Regions[simulator].Population);
        var client = new SocialSecurityCardService.SocialSecurityCardServiceClient(environment.ChannelFor(TestParticipants.SocialSecurity));
        var traffic = RegionTraffic.Start(environment);

        var answer = await client.VerifyCardAsync(new VerifyCardRequest
        {
            IssuingRegion = issuingRegion,
            CitizenId = card.CitizenId,
            Purpose = PurposeOfUse.SocialInsurance,
        });

        Assert.Equal(card.CardNumber, answer.Card.CardNumber);
        Assert.Equal(simulator, answer.Card.IssuingRegion);
        traffic.AssertExactly((simulator, ExchangePaths.Card("VerifyCard"), 1));
    }

    [Fact]
    public async Task UnaryCall_RegionWithoutRoute_IsNotFoundWithReasonNoRouteAndReachesNoRegion()
    {
        var environment = fixture.Environment;
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital));
        var traffic = RegionTraffic.Start(environment);

        var error = await GatewayAssert.FailsWith(StatusCode.NotFound, NoRouteMessage, () => client.GetInsuredPersonAsync(new GetInsuredPersonRequest
        {
            InsuredRegion = "110000",
            CitizenId = Seeded.ActiveEmployee(environment.Regions["310000"].Population, minimumBalance: 0).CitizenId,
            Purpose = PurposeOfUse.MedicalSettlement,
        }).ResponseAsync);

        AssertNoRoute(error);
        traffic.AssertNothing();
    }

    [Fact]
    public async Task ServerStreamingCall_RegionWithoutRoute_IsNotFoundWithReasonNoRouteAndReachesNoRegion()
    {
        var environment = fixture.Environment;
        var client = new ArchiveService.ArchiveServiceClient(environment.ChannelFor(TestParticipants.Archive));
        var traffic = RegionTraffic.Start(environment);

        var error = await GatewayAssert.FailsWith(StatusCode.NotFound, NoRouteMessage, async () =>
        {
            using var call = client.WatchArchiveLookup(new WatchArchiveLookupRequest { ArchiveRegion = "110000", LookupId = "110000L00000001" });
            await call.ResponseStream.MoveNext();
        });

        AssertNoRoute(error);
        traffic.AssertNothing();
    }

    [Fact]
    public async Task ClientStreamingCall_FirstMessageNamesRegionWithoutRoute_IsNotFoundWithReasonNoRouteAndReachesNoRegion()
    {
        var environment = fixture.Environment;
        var client = new SocialSecurityCardService.SocialSecurityCardServiceClient(environment.ChannelFor(TestParticipants.SocialSecurity));
        var hash = KeyedHash.ComputeHex(PartnerRegionOptions.DevelopmentComparisonKey.Span, environment.Regions["310000"].Population.Pensions[0].CitizenId);
        var traffic = RegionTraffic.Start(environment);

        var error = await GatewayAssert.FailsWith(StatusCode.NotFound, NoRouteMessage, async () =>
        {
            using var call = client.CompareResidents();
            await call.RequestStream.WriteAsync(new CompareResidentsRequest
            {
                PensionRegion = "110000",
                SubjectHashes = { hash },
                Purpose = PurposeOfUse.BenefitEligibility,
            });
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        });

        AssertNoRoute(error);
        traffic.AssertNothing();
    }

    private static void AssertNoRoute(RpcException error)
    {
        var info = GatewayAssert.ErrorInfoOf(error);
        Assert.Equal("NO_ROUTE", info.Reason);
        Assert.Equal("exchange.gov.cn", info.Domain);
        Assert.Equal("110000", Assert.Single(info.Metadata, m => m.Key == "region").Value);
    }
}
