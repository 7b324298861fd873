using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;

namespace Exchange.PartnerSim.Tests.SocialSecurity;

public sealed class ListCardEntitlementsTests(CardRegionFixture fixture) : IClassFixture<CardRegionFixture>
{
    private static readonly string[] DeltaProvinces = ["310000", "320000", "330000", "340000"];
    private static readonly string[] Categories = ["TRANSIT", "TOURISM", "CULTURE", "MEDICAL"];

    private SocialSecurityCardService.SocialSecurityCardServiceClient Client => fixture.Client;

    [Fact]
    public async Task ListCardEntitlements_NormalCard_ListsEveryProgrammeOfTheDelta()
    {
        var seeded = fixture.ReservedCard(CardStatus.Normal);

        var response = await Client.ListCardEntitlementsAsync(Request(seeded.CitizenId));

        Assert.Equal(CardStatus.Normal, response.CardStatus);
        var expected = DeltaProvinces.SelectMany(r => Categories.Select(c => $"ENT-{r}-{c}")).Order(StringComparer.Ordinal);
        Assert.Equal(expected, response.Entitlements.Select(e => e.EntitlementId).Order(StringComparer.Ordinal));
        Assert.All(response.Entitlements, e =>
        {
            Assert.True(e.SameCityTreatment);
            Assert.StartsWith($"ENT-{e.RegionCode}-", e.EntitlementId, StringComparison.Ordinal);
            Assert.EndsWith(e.Category.ToString().ToUpperInvariant(), e.EntitlementId, StringComparison.Ordinal);
            Assert.Contains(" / ", e.Description, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(EntitlementCategory.Transit, "TRANSIT")]
    [InlineData(EntitlementCategory.Tourism, "TOURISM")]
    [InlineData(EntitlementCategory.Culture, "CULTURE")]
    [InlineData(EntitlementCategory.Medical, "MEDICAL")]
    public async Task ListCardEntitlements_Category_ListsOnlyThatCategoryInEveryProvince(EntitlementCategory category, string suffix)
    {
        var seeded = fixture.ReservedCard(CardStatus.Normal);
        var request = Request(seeded.CitizenId);
        request.Category = category;

        var response = await Client.ListCardEntitlementsAsync(request);

        Assert.Equal(DeltaProvinces.Select(r => $"ENT-{r}-{suffix}"), response.Entitlements.Select(e => e.EntitlementId).Order(StringComparer.Ordinal));
        Assert.All(response.Entitlements, e => Assert.Equal(category, e.Category));
    }

    [Theory]
    [InlineData(CardStatus.NotActivated)]
    [InlineData(CardStatus.VerbalLossReported)]
    [InlineData(CardStatus.WrittenLossReported)]
    [InlineData(CardStatus.Frozen)]
    [InlineData(CardStatus.Cancelled)]
    public async Task ListCardEntitlements_CardNotNormal_IsEmptyAndSaysWhy(CardStatus status)
    {
        var seeded = fixture.ReservedCard(status);

        var response = await Client.ListCardEntitlementsAsync(Request(seeded.CitizenId));

        Assert.Equal(status, response.CardStatus);
        Assert.Empty(response.Entitlements);
    }

    [Fact]
    public async Task ListCardEntitlements_NormalCardPastExpiry_IsEmpty()
    {
        var expired = fixture.TakeCard(c => c.Status == CardStatus.Normal && c.ExpiryDate < CardRegionFixture.Today);

        var response = await Client.ListCardEntitlementsAsync(Request(expired.CitizenId));

        Assert.Equal(CardStatus.Normal, response.CardStatus);
        Assert.Empty(response.Entitlements);
    }

    [Fact]
    public async Task ListCardEntitlements_PersonWithoutCardHere_IsNotFound()
    {
        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.ListCardEntitlementsAsync(Request(VerifyCardTests.StrangerId)).ResponseAsync);

        Assert.DoesNotContain(VerifyCardTests.StrangerId, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListCardEntitlements_RegionNotServed_IsNotFound()
    {
        var request = Request(fixture.ReservedCard(CardStatus.Normal).CitizenId);
        request.IssuingRegion = "330000";

        await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.ListCardEntitlementsAsync(request).ResponseAsync);
    }

    [Fact]
    public async Task ListCardEntitlements_NoPurpose_IsRefusedBeforeFieldsAreChecked()
    {
        var request = new ListCardEntitlementsRequest { IssuingRegion = "310000", CitizenId = "110105194912310021" };

        var info = await RpcAssert.FailsWithPurposeRequired(() => Client.ListCardEntitlementsAsync(request).ResponseAsync);

        Assert.Equal("/exchange.socialsecurity.v1.SocialSecurityCardService/ListCardEntitlements", info.Metadata["method"]);
        Assert.Equal("purpose", info.Metadata["field"]);
    }

    private static ListCardEntitlementsRequest Request(string citizenId) => new()
    {
        IssuingRegion = "310000",
        CitizenId = citizenId,
        Purpose = PurposeOfUse.PublicServiceAccess,
    };
}
