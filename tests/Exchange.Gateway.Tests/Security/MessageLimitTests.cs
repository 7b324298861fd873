using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using static Exchange.Gateway.Tests.Security.SecurityRequests;

namespace Exchange.Gateway.Tests.Security;

/// <summary>
/// Limits on a gateway configured with small ones: a request above MaxRequestBytes never leaves the gateway; an answer
/// above MaxResponseBytes never reaches the caller, who is told the exchange may have taken effect.
/// </summary>
public sealed class MessageLimitTests(SmallLimitsFixture fixture) : IClassFixture<SmallLimitsFixture>
{
    private GatewayEnvironment Environment => fixture.Environment;

    [Fact]
    public async Task PreSettle_AboveMaxRequestBytes_IsResourceExhaustedAndNothingForwarded()
    {
        var request = PreSettle("310000", ActiveInsured(Environment, "310000"), feeItems: 400);
        Assert.InRange(request.CalculateSize(), SmallLimitsFixture.MaxRequestBytes + 1, 64 * 1024);
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(Environment.ChannelFor(TestParticipants.Hospital));
        var before = ReceivedByAllRegions(Environment);

        var e = await Assert.ThrowsAsync<RpcException>(async () => await client.PreSettleAsync(request));

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal("Received message exceeds the maximum configured message size.", e.Status.Detail);
        Assert.Equal(before, ReceivedByAllRegions(Environment));
    }

    [Fact]
    public async Task PreSettle_WithinMaxRequestBytes_IsForwarded()
    {
        // The same bill, small enough: the limit, not the content, refused the large one.
        var request = PreSettle("310000", ActiveInsured(Environment, "310000"), feeItems: 20);
        Assert.InRange(request.CalculateSize(), 1, SmallLimitsFixture.MaxRequestBytes);
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(Environment.ChannelFor(TestParticipants.Hospital));
        var before = Environment.Regions["310000"].Statistics.ReceivedBy(PreSettlePath);

        var answer = await client.PreSettleAsync(request);

        Assert.Equal(Enumerable.Range(0, 20).Sum(i => 10_000L + i), answer.Amounts.Total.Fen);
        Assert.Equal(before + 1, Environment.Regions["310000"].Statistics.ReceivedBy(PreSettlePath));
    }

    [Fact]
    public async Task ListCardEntitlements_AnswerAboveMaxResponseBytes_IsInternalSayingItMayHaveTakenEffect_WhileTheSmallVerifyCardPasses()
    {
        // An entitlement list is about 2.7 KB, a card check about 100 bytes: the limit is on what the partner answers.
        var card = Environment.Regions["341021"].Population.Cards.First(c => c.Status == CardStatus.Normal);
        var client = new SocialSecurityCardService.SocialSecurityCardServiceClient(Environment.ChannelFor(TestParticipants.SocialSecurity));
        var county = Environment.Regions["341021"].Statistics;
        const string path = "/exchange.socialsecurity.v1.SocialSecurityCardService/ListCardEntitlements";
        var before = county.ReceivedBy(path);

        var verified = await client.VerifyCardAsync(new VerifyCardRequest { IssuingRegion = "341021", CitizenId = card.CitizenId, Purpose = PurposeOfUse.PublicServiceAccess });
        var e = await Assert.ThrowsAsync<RpcException>(async () => await client.ListCardEntitlementsAsync(
            new ListCardEntitlementsRequest { IssuingRegion = "341021", CitizenId = card.CitizenId, Purpose = PurposeOfUse.PublicServiceAccess }));

        Assert.Equal(card.CardNumber, verified.Card.CardNumber);
        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.Equal("region 341021 answered with a message larger than the gateway accepts; the exchange may have taken effect", e.Status.Detail);
        Assert.Equal(before + 1, county.ReceivedBy(path)); // the request went out; its answer was refused
    }
}

/// <summary>A gateway environment whose gateway accepts requests up to 4 KiB and answers up to 1 KiB.</summary>
public sealed class SmallLimitsFixture : IAsyncLifetime
{
    public const int MaxRequestBytes = 4096;
    public const int MaxResponseBytes = 1024;

    private GatewayEnvironment? _environment;

    public GatewayEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() =>
        _environment = await GatewayEnvironment.StartAsync(options =>
            options with { Limits = options.Limits with { MaxRequestBytes = MaxRequestBytes, MaxResponseBytes = MaxResponseBytes } });

    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
    }
}
