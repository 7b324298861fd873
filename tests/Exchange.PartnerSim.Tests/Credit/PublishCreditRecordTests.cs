using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;
using static Exchange.PartnerSim.Tests.Credit.CreditTestData;

namespace Exchange.PartnerSim.Tests.Credit;

public sealed class PublishCreditRecordTests(CreditRegionFixture fixture) : IClassFixture<CreditRegionFixture>
{
    private static readonly DateOnly Today = CreditRegionFixture.Today;

    private CreditService.CreditServiceClient Client => fixture.Client;

    [Fact]
    public async Task PublishCreditRecord_ClientSetIdStateAndTime_AreReplaced()
    {
        var record = Fine(Organisation(NewCreditCode(101)), Today.AddDays(-5));
        record.RecordId = "mine";
        record.State = RecordState.Expired;
        record.UpdateTime = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = 1 };

        var published = (await Client.PublishCreditRecordAsync(Publish(record))).Record;

        Assert.Matches("^310000-[0-9]{7}$", published.RecordId);
        Assert.Equal(RecordState.Published, published.State);
        Assert.NotEqual(1, published.UpdateTime.Seconds);
    }

    [Fact]
    public async Task PublishCreditRecord_DuplicateRequestId_ReturnsOriginalAndPublishesOnce()
    {
        var subject = Organisation(NewCreditCode(102));
        var request = Publish(Fine(subject, Today.AddDays(-5)));
        var original = await Client.PublishCreditRecordAsync(request);

        var repeat = await Client.PublishCreditRecordAsync(request.Clone());

        Assert.Equal(original, repeat);
        Assert.Equal([original.Record], (await Client.ListCreditRecordsAsync(List(subject, includeUnpublished: true))).Records);
    }

    [Fact]
    public async Task PublishCreditRecord_RequestIdReusedForDifferentRecord_IsAlreadyExistsAndPublishesNothing()
    {
        var first = Publish(Fine(Organisation(NewCreditCode(103)), Today.AddDays(-5)));
        await Client.PublishCreditRecordAsync(first);
        var otherSubject = Organisation(NewCreditCode(104));
        var second = Publish(Fine(otherSubject, Today.AddDays(-5)));
        second.RequestId = first.RequestId;

        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => Client.PublishCreditRecordAsync(second).ResponseAsync);

        Assert.Empty((await Client.ListCreditRecordsAsync(List(otherSubject, includeUnpublished: true))).Records);
    }

    [Fact]
    public async Task PublishCreditRecord_DecisionNumberAlreadyPublished_IsAlreadyExistsNamingTheRecord()
    {
        var first = (await Client.PublishCreditRecordAsync(Publish(Fine(Organisation(NewCreditCode(105)), Today.AddDays(-5))))).Record;
        var again = Fine(Organisation(NewCreditCode(106)), Today.AddDays(-3), first.DecisionNumber);

        var error = await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => Client.PublishCreditRecordAsync(Publish(again)).ResponseAsync);

        Assert.Contains(first.RecordId, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishCreditRecord_DecisionNumberOfASeededRecord_IsAlreadyExistsWithoutTheSubjectsId()
    {
        var seeded = fixture.Population.CreditRecords.First(r => r.SubjectCitizenId is not null);
        var record = Fine(new Subject { CitizenId = seeded.SubjectCitizenId }, Today.AddDays(-3), seeded.DecisionNumber);
        record.Authority = seeded.Authority;

        var error = await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => Client.PublishCreditRecordAsync(Publish(record)).ResponseAsync);

        Assert.DoesNotContain(seeded.SubjectCitizenId!, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishCreditRecord_SameDecisionNumberOfAnotherAuthority_IsPublished()
    {
        var first = (await Client.PublishCreditRecordAsync(Publish(Fine(Organisation(NewCreditCode(107)), Today.AddDays(-5))))).Record;
        var other = Fine(Organisation(NewCreditCode(108)), Today.AddDays(-5), first.DecisionNumber);
        other.Authority = "江苏省苏州市市场监督管理局";

        var published = (await Client.PublishCreditRecordAsync(Publish(other))).Record;

        Assert.NotEqual(first.RecordId, published.RecordId);
    }

    [Fact]
    public async Task PublishCreditRecord_EmptyRecord_ListsEveryMissingFieldInOneError()
    {
        var request = Publish(new CreditRecord());

        await RpcAssert.FailsWithFieldViolations(
            () => Client.PublishCreditRecordAsync(request).ResponseAsync,
            "record.subject", "record.subject_name", "record.kind", "record.authority", "record.decision_number",
            "record.decision_date", "record.publication_start_date", "record.publication_end_date");
    }

    public static TheoryData<string, string[]> BusinessRuleBreaches => new()
    {
        { "end before start", ["record.publication_end_date"] },
        { "penalty type on a dishonesty entry", ["record.penalty_type"] },
        { "fine amount on a warning", ["record.penalty_amount"] },
        { "decision in the future", ["record.decision_date"] },
        { "publication before the decision", ["record.publication_start_date"] },
        { "another origin region", ["record.origin_region"] },
        { "empty subject", ["record.subject"] },
        { "blank authority and end before start", ["record.authority", "record.publication_end_date"] },
    };

    [Theory]
    [MemberData(nameof(BusinessRuleBreaches))]
    public async Task PublishCreditRecord_BusinessRuleBroken_IsInvalidArgumentNamingEveryField(string breach, string[] fields)
    {
        var record = Fine(Organisation(NewCreditCode(120)), Today.AddDays(-10));
        switch (breach)
        {
            case "end before start": record.PublicationEndDate = Date(Today.AddDays(-11)); break;
            case "penalty type on a dishonesty entry": record.Kind = RecordKind.SeriousDishonesty; break;
            case "fine amount on a warning": record.PenaltyType = PenaltyType.Warning; break;
            case "decision in the future": record.DecisionDate = Date(Today.AddDays(1)); record.PublicationStartDate = Date(Today.AddDays(1)); break;
            case "publication before the decision": record.PublicationStartDate = Date(Today.AddDays(-11)); break;
            case "another origin region": record.OriginRegion = "320000"; break;
            case "empty subject": record.Subject = new Subject(); break;
            default: record.Authority = "  "; record.PublicationEndDate = Date(Today.AddDays(-11)); break;
        }

        await RpcAssert.FailsWithFieldViolations(() => Client.PublishCreditRecordAsync(Publish(record)).ResponseAsync, fields);

        Assert.Empty((await Client.ListCreditRecordsAsync(List(Organisation(NewCreditCode(120)), includeUnpublished: true))).Records);
    }

    public static TheoryData<string, string> MalformedRequests => new()
    {
        { "credit code with wrong check", "record.subject.credit_code" },
        { "citizen id with wrong check", "record.subject.citizen_id" },
        { "malformed decision date", "record.decision_date" },
        { "malformed origin region", "origin_region" },
        { "no request id", "request_id" },
        { "no record", "record" },
        { "negative fine", "record.penalty_amount.fen" },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task PublishCreditRecord_MalformedRequest_IsInvalidArgumentNamingTheField(string what, string field)
    {
        var request = Publish(Fine(Organisation(NewCreditCode(130)), Today.AddDays(-10)));
        switch (what)
        {
            case "credit code with wrong check": request.Record.Subject = Organisation(CreditCodeWithWrongCheck); break;
            case "citizen id with wrong check": request.Record.Subject = new Subject { CitizenId = CitizenIdWithWrongCheck }; break;
            case "malformed decision date": request.Record.DecisionDate = "2025/06/01"; break;
            case "malformed origin region": request.OriginRegion = "31000X"; break;
            case "no request id": request.RequestId = ""; break;
            case "no record": request.Record = null; break;
            default: request.Record.PenaltyAmount.Fen = -1; break;
        }

        var badRequest = await RpcAssert.FailsWithFieldViolations(() => Client.PublishCreditRecordAsync(request).ResponseAsync, field);

        Assert.All(badRequest.FieldViolations, v => Assert.DoesNotContain(CitizenIdWithWrongCheck, v.Description, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublishCreditRecord_RegionNotServed_IsNotFound()
    {
        var error = await RpcAssert.FailsWith(
            StatusCode.NotFound, () => Client.PublishCreditRecordAsync(Publish(Fine(Organisation(NewCreditCode(140)), Today), region: "341021")).ResponseAsync);

        Assert.Contains("origin_region 341021", error.Status.Detail, StringComparison.Ordinal);
    }
}
