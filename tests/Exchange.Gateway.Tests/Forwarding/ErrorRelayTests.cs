using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Identifiers;
using Exchange.Gateway.Tests.Infrastructure;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>A partner's refusal reaches the caller as the partner stated it, google.rpc details included; a partner that cannot be reached is named.</summary>
public sealed class ErrorRelayTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task PreSettle_PartnerRejectsTheVisit_CallerGetsThePartnersInvalidArgumentWithItsFieldViolation()
    {
        var environment = fixture.Environment;
        var person = Seeded.ActiveEmployee(environment.Regions["310000"].Population, minimumBalance: 0);
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital));
        var traffic = RegionTraffic.Start(environment);

        // Well-formed for the gateway; only the insured region knows treatment inside it is no cross-region settlement.
        var error = await GatewayAssert.FailsWith(
            StatusCode.InvalidArgument,
            "invalid request: visit.treatment_region must be outside the insured region: treatment inside it is not a cross-region settlement",
            () => client.PreSettleAsync(new PreSettleRequest
            {
                InsuredRegion = "310000",
                Visit = new Visit
                {
                    TreatmentRegion = "310101",
                    CitizenId = person.CitizenId,
                    Hospital = new Hospital { Code = "H31010100001", Level = HospitalLevel.Primary },
                    VisitId = "MDT-RELAY-1",
                    FeeItems = { new FeeItem { ItemCode = "XA01AAA001", CatalogueClass = CatalogueClass.A, Amount = new Money { Fen = 100_00 } } },
                },
                Purpose = PurposeOfUse.MedicalSettlement,
            }).ResponseAsync);

        var violation = Assert.Single(GatewayAssert.BadRequestOf(error).FieldViolations);
        Assert.Equal("visit.treatment_region", violation.Field);
        traffic.AssertExactly(("310000", ExchangePaths.Medical("PreSettle"), 1));
    }

    [Fact]
    public async Task Settle_PartnersInsuranceIsSuspended_CallerGetsThePartnersFailedPrecondition()
    {
        var environment = fixture.Environment;
        var suspended = environment.Regions["341021"].Population.Insurance.First(i => i.Status == InsuranceStatus.Suspended);
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.ShanghaiPlatform));
        var traffic = RegionTraffic.Start(environment);

        await GatewayAssert.FailsWith(
            StatusCode.FailedPrecondition,
            "the person's insurance in region 341021 is suspended; settlements are refused until it is active again",
            () => client.SettleAsync(new SettleRequest
            {
                RequestId = SettlementMessageId.Create("H31010100009", new DateTime(2025, 6, 3, 8, 0, 0, DateTimeKind.Unspecified), 1).Value,
                InsuredRegion = "341021",
                Visit = new Visit
                {
                    TreatmentRegion = "310000",
                    CitizenId = suspended.CitizenId,
                    Hospital = new Hospital { Code = "H31010100009", Level = HospitalLevel.Tertiary },
                    VisitId = "MDT-RELAY-2",
                    FeeItems = { new FeeItem { ItemCode = "XA01AAA001", CatalogueClass = CatalogueClass.A, Amount = new Money { Fen = 80_00 } } },
                },
                Purpose = PurposeOfUse.MedicalSettlement,
            }).ResponseAsync);

        traffic.AssertExactly(("341021", ExchangePaths.Medical("Settle"), 1));
    }

    [Fact]
    public async Task VerifyCard_PartnerHasNoSuchCard_CallerGetsThePartnersNotFound()
    {
        var environment = fixture.Environment;
        // A Shanghai resident's card is not held by Jiangsu.
        var card = Seeded.ValidCard(environment.Regions["310000"].Population);
        var client = new SocialSecurityCardService.SocialSecurityCardServiceClient(environment.ChannelFor(TestParticipants.SocialSecurity));

        await GatewayAssert.FailsWith(StatusCode.NotFound, "no card matches in region 320000", () => client.VerifyCardAsync(new VerifyCardRequest
        {
            IssuingRegion = "320000",
            CitizenId = card.CitizenId,
            Purpose = PurposeOfUse.SocialInsurance,
        }).ResponseAsync);
    }

    [Fact]
    public async Task VerifyCard_PartnerStopped_CallerGetsUnavailableNamingTheRegion()
    {
        await using var environment = await GatewayEnvironment.StartAsync();
        var card = Seeded.ValidCard(environment.Regions["320000"].Population);
        var client = new SocialSecurityCardService.SocialSecurityCardServiceClient(environment.ChannelFor(TestParticipants.SocialSecurity));
        await environment.Regions["320000"].StopAsync();

        await GatewayAssert.FailsWith(StatusCode.Unavailable, "region 320000 is unavailable: its endpoint could not be reached, and nothing was sent", () => client.VerifyCardAsync(new VerifyCardRequest
        {
            IssuingRegion = "320000",
            CitizenId = card.CitizenId,
            Purpose = PurposeOfUse.SocialInsurance,
        }).ResponseAsync);
    }
}
