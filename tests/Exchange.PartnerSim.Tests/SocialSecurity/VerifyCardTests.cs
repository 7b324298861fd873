using System.Globalization;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;

namespace Exchange.PartnerSim.Tests.SocialSecurity;

public sealed class VerifyCardTests(CardRegionFixture fixture) : IClassFixture<CardRegionFixture>
{
    /// <summary>A valid citizen ID of a Beijing resident: not in the Shanghai population.</summary>
    internal const string StrangerId = "11010519491231002X";

    private SocialSecurityCardService.SocialSecurityCardServiceClient Client => fixture.Client;

    [Theory]
    [InlineData(CardStatus.NotActivated)]
    [InlineData(CardStatus.Normal)]
    [InlineData(CardStatus.VerbalLossReported)]
    [InlineData(CardStatus.WrittenLossReported)]
    [InlineData(CardStatus.Frozen)]
    [InlineData(CardStatus.Cancelled)]
    public async Task VerifyCard_EachStatus_IsValidOnlyWhenNormal(CardStatus status)
    {
        var seeded = fixture.ReservedCard(status);

        var response = await Client.VerifyCardAsync(Request(seeded.CitizenId));

        Assert.Equal(status, response.Card.Status);
        Assert.Equal(status == CardStatus.Normal, response.Valid);
    }

    [Fact]
    public async Task VerifyCard_NormalCardPastExpiry_IsNotValid()
    {
        var expired = fixture.TakeCard(c => c.Status == CardStatus.Normal && c.ExpiryDate < CardRegionFixture.Today);

        var response = await Client.VerifyCardAsync(Request(expired.CitizenId));

        Assert.Equal(CardStatus.Normal, response.Card.Status);
        Assert.False(response.Valid);
    }

    [Fact]
    public async Task VerifyCard_KnownHolder_ReturnsTheCardAndHolderName()
    {
        var seeded = fixture.ReservedCard(CardStatus.Normal);

        var response = await Client.VerifyCardAsync(Request(seeded.CitizenId, seeded.CardNumber));

        var expected = new Card
        {
            CardNumber = seeded.CardNumber,
            CardIdentificationCode = seeded.CardIdentificationCode,
            Status = CardStatus.Normal,
            Generation = seeded.Generation,
            IssuingRegion = "310000",
            IssueDate = seeded.IssueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ExpiryDate = seeded.ExpiryDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            SpecVersion = seeded.Generation == CardGeneration.Third ? "3.00" : "2.00",
            Temporary = seeded.Temporary,
            HolderName = fixture.Population.ResidentsById[seeded.CitizenId].Name,
        };
        Assert.Equal(expected, response.Card);
        Assert.True(response.Valid);
    }

    [Fact]
    public async Task VerifyCard_CountyInsideTheRegion_IsServed()
    {
        var seeded = fixture.ReservedCard(CardStatus.Normal);

        var response = await Client.VerifyCardAsync(Request(seeded.CitizenId, region: "310115"));

        Assert.Equal(seeded.CardNumber, response.Card.CardNumber);
    }

    [Fact]
    public async Task VerifyCard_AnotherHoldersCardNumber_IsNotFound()
    {
        var holder = fixture.ReservedCard(CardStatus.Normal);
        var other = fixture.ReservedCardsForReading.First(c => c.CitizenId != holder.CitizenId && c.CardNumber != holder.CardNumber);

        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.VerifyCardAsync(Request(holder.CitizenId, other.CardNumber)).ResponseAsync);

        Assert.Equal("no card matches in region 310000", error.Status.Detail);
    }

    [Fact]
    public async Task VerifyCard_PersonWithoutCardHere_IsNotFoundWithoutTheirId()
    {
        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.VerifyCardAsync(Request(StrangerId)).ResponseAsync);

        Assert.DoesNotContain(StrangerId, error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("310000", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyCard_RegionNotServed_IsNotFoundNamingTheRegions()
    {
        var seeded = fixture.ReservedCard(CardStatus.Normal);

        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.VerifyCardAsync(Request(seeded.CitizenId, region: "320000")).ResponseAsync);

        Assert.Contains("issuing_region 320000", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(seeded.CitizenId, error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("110105194912310021", "310000", "", PurposeOfUse.SocialInsurance, "citizen_id")]
    [InlineData("", "310000", "", PurposeOfUse.SocialInsurance, "citizen_id")]
    [InlineData(StrangerId, "31000", "", PurposeOfUse.SocialInsurance, "issuing_region")]
    [InlineData(StrangerId, "319999", "", PurposeOfUse.SocialInsurance, "issuing_region")]
    [InlineData(StrangerId, "310000", "123456789", PurposeOfUse.SocialInsurance, "card_number")]
    public async Task VerifyCard_MalformedRequest_IsInvalidArgumentNamingTheField(string citizenId, string region, string cardNumber, PurposeOfUse purpose, string field)
    {
        var request = new VerifyCardRequest { CitizenId = citizenId, IssuingRegion = region, CardNumber = cardNumber, Purpose = purpose };

        var badRequest = await RpcAssert.FailsWithFieldViolations(() => Client.VerifyCardAsync(request).ResponseAsync, field);

        Assert.All(badRequest.FieldViolations, v => Assert.DoesNotContain("1101051949", v.Description, StringComparison.Ordinal));
    }

    internal static VerifyCardRequest Request(string citizenId, string cardNumber = "", string region = "310000") => new()
    {
        IssuingRegion = region,
        CitizenId = citizenId,
        CardNumber = cardNumber,
        Purpose = PurposeOfUse.SocialInsurance,
    };
}
