using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Tests.Infrastructure;

namespace Exchange.Gateway.Tests.Security;

/// <summary>
/// Minimum necessary, end to end: the same answer of a region reaches callers of different clearances with exactly
/// the fields above each clearance cleared, and nothing else changed.
/// </summary>
public sealed class MinimisationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayEnvironment Environment => fixture.Environment;

    [Fact]
    public async Task VerifyCard_ForPublicAndSensitiveClearance_ClearsPersonalCardFieldsForThePublicCallerOnly()
    {
        var county = Environment.Regions["341021"].Population;
        var seeded = county.Cards.First(c => c.Status == CardStatus.Normal);
        var request = new VerifyCardRequest { IssuingRegion = "341021", CitizenId = seeded.CitizenId, Purpose = PurposeOfUse.PublicServiceAccess };

        var bureau = await Cards(TestParticipants.SocialSecurity).VerifyCardAsync(request);
        var museum = await Cards(TestParticipants.Museum).VerifyCardAsync(request);

        // The bureau (SensitivePersonal) sees the card as the region holds it.
        Assert.Equal(seeded.CardNumber, bureau.Card.CardNumber);
        Assert.Equal(seeded.CardIdentificationCode, bureau.Card.CardIdentificationCode);
        Assert.Equal(county.ResidentsById[seeded.CitizenId].Name, bureau.Card.HolderName);
        Assert.Equal(CardStatus.Normal, bureau.Card.Status);
        Assert.Equal(seeded.ExpiryDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), bureau.Card.ExpiryDate);

        // The museum (Public) gets the same answer less the PERSONAL and SENSITIVE_PERSONAL fields.
        var expected = bureau.Clone();
        expected.Card.CardNumber = "";
        expected.Card.CardIdentificationCode = "";
        expected.Card.HolderName = "";
        Assert.Equal(expected, museum);
    }

    [Fact]
    public async Task ListCreditRecords_OfNaturalPersonForPersonalClearance_KeepsNameButClearsCitizenId()
    {
        var (region, seeded) = Environment.Regions
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .SelectMany(r => r.Value.Population.CreditRecords.Select(c => (Region: r.Key, Record: c)))
            .First(x => x.Record.SubjectCitizenId is not null);
        var request = new ListCreditRecordsRequest
        {
            Subject = new Subject { CitizenId = seeded.SubjectCitizenId },
            IncludeUnpublished = true,
            Purpose = PurposeOfUse.CreditSupervision,
        };
        // What the publishing region holds, asked directly (no gateway, no minimisation).
        var held = await new CreditService.CreditServiceClient(Environment.ChannelToRegion(region)).ListCreditRecordsAsync(request);

        var answer = await new CreditService.CreditServiceClient(Environment.ChannelFor(TestParticipants.CreditOffice)).ListCreditRecordsAsync(request);

        Assert.NotEmpty(held.Records);
        Assert.All(held.Records, r => Assert.Equal(seeded.SubjectCitizenId, r.Subject.CitizenId));
        var expected = held.Records.Select(r =>
        {
            var minimised = r.Clone();
            minimised.Subject.ClearIdentifier();
            return minimised;
        });
        Assert.Equal(expected, answer.Records);
        Assert.All(answer.Records, r =>
        {
            Assert.Equal(seeded.SubjectName, r.SubjectName);
            Assert.Equal(Subject.IdentifierOneofCase.None, r.Subject.IdentifierCase);
        });
        Assert.All(answer.RegionStatuses, s => Assert.Equal(RegionOutcome.Answered, s.Outcome));
    }

    [Fact]
    public async Task ListCreditRecords_OfOrganisationForPersonalClearance_KeepsThePublicCreditCode()
    {
        // citizen_id and credit_code share a oneof: clearing the sensitive member must not clear the public one.
        var organisation = Environment.Regions["320000"].Population.Organisations[0];
        var request = new ListCreditRecordsRequest
        {
            Subject = new Subject { CreditCode = organisation.CreditCode },
            IncludeUnpublished = true,
            Purpose = PurposeOfUse.CreditSupervision,
        };
        var held = await new CreditService.CreditServiceClient(Environment.ChannelToRegion("320000")).ListCreditRecordsAsync(request);

        var answer = await new CreditService.CreditServiceClient(Environment.ChannelFor(TestParticipants.CreditOffice)).ListCreditRecordsAsync(request);

        Assert.NotEmpty(held.Records);
        Assert.Equal(held.Records, answer.Records);
        Assert.All(answer.Records, r => Assert.Equal(organisation.CreditCode, r.Subject.CreditCode));
    }

    private SocialSecurityCardService.SocialSecurityCardServiceClient Cards(string participant) =>
        new(Environment.ChannelFor(participant));
}
