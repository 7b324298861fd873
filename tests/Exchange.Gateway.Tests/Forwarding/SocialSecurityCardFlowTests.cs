using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Tests.Infrastructure;
using Client = Exchange.Contracts.SocialSecurity.V1.SocialSecurityCardService.SocialSecurityCardServiceClient;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>
/// Card checks, "one card" entitlements and a verbal loss report lifted again, through the gateway in both
/// directions: the county's social-security bureau with a Shanghai card, and Shanghai's platform with a She County
/// card. Each answer is checked against the card the issuing region holds.
/// </summary>
public sealed class SocialSecurityCardFlowTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    /// <summary>The delta-wide programmes a NORMAL card opens: four categories in each of the four provinces.</summary>
    private static readonly string[] AllEntitlements =
    [
        .. new[] { "310000", "320000", "330000", "340000" }.SelectMany(p => new[] { "TRANSIT", "TOURISM", "CULTURE", "MEDICAL" }.Select(c => $"ENT-{p}-{c}")),
    ];

    [Fact]
    public async Task CountySocialSecurity_ChecksShanghaiCardAndReportsItsLossAndLiftsIt_OnlyShanghaiIsAsked()
    {
        await AssertCardFlowAsync(TestParticipants.SocialSecurity, "310000", requestIdPrefix: "county-ss");
    }

    [Fact]
    public async Task ShanghaiPlatform_ChecksCountyCardAndReportsItsLossAndLiftsIt_OnlyTheCountyIsAsked()
    {
        await AssertCardFlowAsync(TestParticipants.ShanghaiPlatform, "341021", requestIdPrefix: "shanghai-ss");
    }

    private async Task AssertCardFlowAsync(string participant, string issuingRegion, string requestIdPrefix)
    {
        var environment = fixture.Environment;
        var region = environment.Regions[issuingRegion];
        var card = Seeded.ValidCard(region.Population);
        var holder = region.Population.ResidentsById[card.CitizenId];
        var client = new Client(environment.ChannelFor(participant));
        var traffic = RegionTraffic.Start(environment);

        var verified = await VerifyAsync(client, issuingRegion, card.CitizenId, card.CardNumber);
        Assert.True(verified.Valid);
        Assert.Equal(card.CardNumber, verified.Card.CardNumber);
        Assert.Equal(card.CardIdentificationCode, verified.Card.CardIdentificationCode);
        Assert.Equal(CardStatus.Normal, verified.Card.Status);
        Assert.Equal(card.Generation, verified.Card.Generation);
        Assert.Equal(issuingRegion, verified.Card.IssuingRegion);
        Assert.Equal(Seeded.Iso(card.ExpiryDate), verified.Card.ExpiryDate);
        Assert.Equal(holder.Name, verified.Card.HolderName);

        var entitlements = await client.ListCardEntitlementsAsync(new ListCardEntitlementsRequest
        {
            IssuingRegion = issuingRegion,
            CitizenId = card.CitizenId,
            Purpose = PurposeOfUse.PublicServiceAccess,
        });
        Assert.Equal(CardStatus.Normal, entitlements.CardStatus);
        Assert.Equal(AllEntitlements.Order(StringComparer.Ordinal), entitlements.Entitlements.Select(e => e.EntitlementId).Order(StringComparer.Ordinal));
        Assert.All(entitlements.Entitlements, e => Assert.True(e.SameCityTreatment));

        var reported = await client.ReportCardLossAsync(new ReportCardLossRequest
        {
            RequestId = requestIdPrefix + "-report-1",
            IssuingRegion = issuingRegion,
            CitizenId = card.CitizenId,
            CardNumber = card.CardNumber,
            Kind = LossReportKind.Verbal,
            Purpose = PurposeOfUse.SocialInsurance,
        });
        Assert.Equal(CardStatus.VerbalLossReported, reported.Card.Status);
        Assert.NotNull(reported.EffectiveTime);

        var whileLost = await VerifyAsync(client, issuingRegion, card.CitizenId, card.CardNumber);
        Assert.False(whileLost.Valid);
        Assert.Equal(CardStatus.VerbalLossReported, whileLost.Card.Status);

        var lifted = await client.LiftCardLossAsync(new LiftCardLossRequest
        {
            RequestId = requestIdPrefix + "-lift-1",
            IssuingRegion = issuingRegion,
            CitizenId = card.CitizenId,
            CardNumber = card.CardNumber,
            Purpose = PurposeOfUse.SocialInsurance,
        });
        Assert.Equal(CardStatus.Normal, lifted.Card.Status);

        var afterLift = await VerifyAsync(client, issuingRegion, card.CitizenId, card.CardNumber);
        Assert.True(afterLift.Valid);
        Assert.Equal(CardStatus.Normal, afterLift.Card.Status);

        traffic.AssertExactly(
            (issuingRegion, ExchangePaths.Card("VerifyCard"), 3),
            (issuingRegion, ExchangePaths.Card("ListCardEntitlements"), 1),
            (issuingRegion, ExchangePaths.Card("ReportCardLoss"), 1),
            (issuingRegion, ExchangePaths.Card("LiftCardLoss"), 1));
    }

    private static async Task<VerifyCardResponse> VerifyAsync(Client client, string issuingRegion, string citizenId, string cardNumber) =>
        await client.VerifyCardAsync(new VerifyCardRequest
        {
            IssuingRegion = issuingRegion,
            CitizenId = citizenId,
            CardNumber = cardNumber,
            Purpose = PurposeOfUse.SocialInsurance,
        });
}
