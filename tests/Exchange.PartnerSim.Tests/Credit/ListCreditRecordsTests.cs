using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Population;
using Exchange.PartnerSim.Tests.Infrastructure;
using static Exchange.PartnerSim.Tests.Credit.CreditTestData;

namespace Exchange.PartnerSim.Tests.Credit;

public sealed class ListCreditRecordsTests(CreditRegionFixture fixture) : IClassFixture<CreditRegionFixture>
{
    private CreditService.CreditServiceClient Client => fixture.Client;

    [Fact]
    public async Task ListCreditRecords_OrganisationWithPenaltyAndDishonestyEntry_ListsItsPublishedRecordsNewestFirst()
    {
        var (code, records) = fixture.TakeSubject(rs =>
            rs.Any(r => r.Kind == RecordKind.AdministrativePenalty && CreditRegionFixture.IsPublished(r))
            && rs.Any(r => r.Kind == RecordKind.SeriousDishonesty && CreditRegionFixture.IsPublished(r)));

        var response = await Client.ListCreditRecordsAsync(List(Organisation(code)));

        var expected = Newest(records.Where(x => CreditRegionFixture.IsPublished(x.Record)))
            .Select(x => Expected(x.RecordId, x.Record, RecordState.Published))
            .ToArray();
        Assert.Equal(2, expected.Length);
        Assert.Equal(expected, response.Records);
        var status = Assert.Single(response.RegionStatuses);
        Assert.Equal(new RegionStatus { RegionCode = "310000", Outcome = RegionOutcome.Answered, ResultCount = 2 }, status);
    }

    [Fact]
    public async Task ListCreditRecords_ExpiredRecord_IsListedOnlyWithIncludeUnpublished()
    {
        var (code, records) = fixture.TakeSubject(rs => rs.Any(r => r.PublicationEnd < CreditRegionFixture.Today) && rs.Any(CreditRegionFixture.IsPublished));

        var published = await Client.ListCreditRecordsAsync(List(Organisation(code)));
        var all = await Client.ListCreditRecordsAsync(List(Organisation(code), includeUnpublished: true));

        Assert.Equal(Newest(records.Where(x => CreditRegionFixture.IsPublished(x.Record))).Select(x => x.RecordId), published.Records.Select(r => r.RecordId));
        Assert.Equal(
            Newest(records).Select(x => Expected(x.RecordId, x.Record, CreditRegionFixture.IsPublished(x.Record) ? RecordState.Published : RecordState.Expired)),
            all.Records);
        Assert.Contains(all.Records, r => r.State == RecordState.Expired);
        Assert.Equal(records.Count, all.RegionStatuses.Single().ResultCount);
    }

    [Fact]
    public async Task ListCreditRecords_NaturalPerson_ListsTheirRecords()
    {
        var (citizenId, records) = fixture.TakeSubject(rs => rs[0].SubjectCitizenId is not null);

        var response = await Client.ListCreditRecordsAsync(List(new Subject { CitizenId = citizenId }, includeUnpublished: true));

        Assert.Equal(
            Newest(records).Select(x => Expected(x.RecordId, x.Record, CreditRegionFixture.IsPublished(x.Record) ? RecordState.Published : RecordState.Expired)),
            response.Records);
        Assert.All(response.Records, r => Assert.Equal(PenaltyType.Warning, r.PenaltyType));
    }

    [Fact]
    public async Task ListCreditRecords_EveryPublishedRecordOfTheRegion_IsListedUnderItsSubject()
    {
        // Read-only sweep: no subject is taken, and no test in this class changes records.
        var expected = fixture.Population.CreditRecords.Count(CreditRegionFixture.IsPublished);
        var listed = 0;
        var subjects = fixture.Population.CreditRecords
            .Select(r => r.SubjectCitizenId is { } id ? new Subject { CitizenId = id } : Organisation(r.SubjectCreditCode!))
            .Distinct();
        foreach (var subject in subjects)
        {
            var request = List(subject);
            var response = await Client.ListCreditRecordsAsync(request);
            Assert.All(response.Records, r => Assert.Equal(RecordState.Published, r.State));
            listed += response.Records.Count;
        }

        Assert.Equal(expected, listed);
    }

    [Fact]
    public async Task ListCreditRecords_SubjectWithoutRecords_AnswersEmpty()
    {
        var response = await Client.ListCreditRecordsAsync(List(Organisation(StrangerCreditCode), includeUnpublished: true));

        Assert.Empty(response.Records);
        Assert.Equal(new RegionStatus { RegionCode = "310000", Outcome = RegionOutcome.Answered, ResultCount = 0 }, Assert.Single(response.RegionStatuses));
    }

    public static TheoryData<string, string> MalformedRequests => new()
    {
        { "no subject", "subject" },
        { "empty subject", "subject" },
        { "citizen id with wrong check", "subject.citizen_id" },
        { "credit code with wrong check", "subject.credit_code" },
        { "credit code with a forbidden letter", "subject.credit_code" },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task ListCreditRecords_MalformedRequest_IsInvalidArgumentNamingTheField(string what, string field)
    {
        var request = List(Organisation(StrangerCreditCode));
        switch (what)
        {
            case "no subject": request.Subject = null; break;
            case "empty subject": request.Subject = new Subject(); break;
            case "citizen id with wrong check": request.Subject = new Subject { CitizenId = CitizenIdWithWrongCheck }; break;
            case "credit code with wrong check": request.Subject = Organisation(CreditCodeWithWrongCheck); break;
            default: request.Subject = Organisation("91310110666007217I"); break;
        }

        var badRequest = await RpcAssert.FailsWithFieldViolations(() => Client.ListCreditRecordsAsync(request).ResponseAsync, field);

        Assert.All(badRequest.FieldViolations, v => Assert.DoesNotContain(CitizenIdWithWrongCheck, v.Description, StringComparison.Ordinal));
    }

    private static IEnumerable<(string RecordId, SeededCreditRecord Record)> Newest(IEnumerable<(string RecordId, SeededCreditRecord Record)> records) =>
        records.OrderByDescending(x => x.Record.DecisionDate).ThenByDescending(x => x.RecordId, StringComparer.Ordinal);
}
