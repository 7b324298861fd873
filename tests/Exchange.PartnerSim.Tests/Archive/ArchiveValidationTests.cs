using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Population;
using Exchange.PartnerSim.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;
using Client = Exchange.Contracts.Archive.V1.ArchiveService.ArchiveServiceClient;

namespace Exchange.PartnerSim.Tests.Archive;

/// <summary>
/// Bad input to the archive: exact status codes and BadRequest field paths, and never a citizen ID or a name in what
/// comes back. Nothing here waits for a search, so the tests share one Shanghai region.
/// </summary>
public sealed class ArchiveValidationTests(ShanghaiRegionFixture fixture) : IClassFixture<ShanghaiRegionFixture>
{
    private const string ValidCreditCode = "91310110666007217T";

    private Client Client { get; } = new(fixture.Region.Channel);

    private Resident Person => fixture.Region.Host.Population.Residents[4];

    [Theory]
    [InlineData("malformed region", "archive_region")]
    [InlineData("region not in the table", "archive_region")]
    [InlineData("unspecified category", "category")]
    [InlineData("missing subject", "subject")]
    [InlineData("empty subject", "subject.citizen_id")]
    [InlineData("bad citizen id check character", "subject.citizen_id")]
    [InlineData("credit-code subject", "subject.credit_code")]
    [InlineData("missing name", "subject_name")]
    [InlineData("description too long", "description")]
    [InlineData("missing request id", "request_id")]
    [InlineData("credit-code subject and description too long", "subject.credit_code", "description")]
    public async Task Submit_BadInput_FailsInvalidArgumentNamingTheField(string breakage, params string[] fields)
    {
        var request = Valid("bad-input-never-accepted");
        switch (breakage)
        {
            case "malformed region": request.ArchiveRegion = "31000"; break;
            case "region not in the table": request.ArchiveRegion = "999999"; break;
            case "unspecified category": request.Category = ArchiveCategory.Unspecified; break;
            case "missing subject": request.Subject = null; break;
            case "empty subject": request.Subject = new Subject(); break;
            case "bad citizen id check character": request.Subject.CitizenId = "110105194912310021"; break;
            case "credit-code subject": request.Subject = new Subject { CreditCode = ValidCreditCode }; break;
            case "missing name": request.SubjectName = ""; break;
            case "description too long": request.Description = new string('档', 501); break;
            case "missing request id": request.RequestId = ""; break;
            default:
                request.Subject = new Subject { CreditCode = ValidCreditCode };
                request.Description = new string('档', 501);
                break;
        }

        var badRequest = await RpcAssert.FailsWithFieldViolations(() => Client.SubmitArchiveLookupAsync(request).ResponseAsync, fields);

        foreach (var violation in badRequest.FieldViolations)
        {
            Personal.AssertAbsent(violation.Description, Person);
        }
    }

    [Fact]
    public async Task Submit_CreditCodeSubject_SaysArchivesHoldRecordsAboutPersons()
    {
        var request = Valid("credit-code-subject-01");
        request.Subject = new Subject { CreditCode = ValidCreditCode };

        var error = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => Client.SubmitArchiveLookupAsync(request).ResponseAsync);

        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Contains("persons", violation.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(ValidCreditCode, error.Status.Detail, StringComparison.Ordinal);
        Personal.AssertAbsent(error.Status.Detail, Person);
    }

    [Theory]
    [InlineData("档", "bmp")]
    [InlineData("𠀀", "astral")] // outside the BMP: 500 characters are 1,000 UTF-16 code units
    public async Task Submit_DescriptionOfExactly500Characters_IsAccepted(string character, string kind)
    {
        var request = Valid($"long-description-{kind}");
        request.Description = string.Concat(Enumerable.Repeat(character, 500));

        var response = await Client.SubmitArchiveLookupAsync(request);

        Assert.Equal(LookupState.Submitted, response.Lookup.State);
    }

    [Fact]
    public async Task Submit_FailedRequest_DoesNotUseUpTheRequestId()
    {
        var request = Valid("rejected-then-fixed-01");
        request.Description = new string('档', 501);
        await RpcAssert.FailsWithFieldViolations(() => Client.SubmitArchiveLookupAsync(request).ResponseAsync, "description");

        request.Description = "";
        var response = await Client.SubmitArchiveLookupAsync(request);

        Assert.Equal(request.RequestId, response.Lookup.RequestId);
    }

    [Fact]
    public async Task Submit_RegionNotServed_FailsNotFoundNamingTheCodes()
    {
        var request = Valid("not-served-region-01");
        request.ArchiveRegion = "330000";

        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.SubmitArchiveLookupAsync(request).ResponseAsync);

        Assert.Contains("330000", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("310000", error.Status.Detail, StringComparison.Ordinal);
        Personal.AssertAbsent(error.Status.Detail, Person);
    }

    [Fact]
    public async Task Submit_DistrictOfTheServedRegion_IsAccepted()
    {
        var request = Valid("district-region-01");
        request.ArchiveRegion = "310101"; // Huangpu, Shanghai

        var response = await Client.SubmitArchiveLookupAsync(request);

        Assert.Equal("310101", response.Lookup.ArchiveRegion);
    }

    [Fact]
    public async Task OtherMethods_RegionNotServed_FailNotFound()
    {
        const string elsewhere = "340000";
        await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.GetArchiveLookupAsync(
            new GetArchiveLookupRequest { ArchiveRegion = elsewhere, LookupId = "310000L00000001" }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.GetArchiveCertificateAsync(
            new GetArchiveCertificateRequest { ArchiveRegion = elsewhere, LookupId = "310000L00000001", Purpose = PurposeOfUse.SubjectRequest }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.VerifyArchiveCertificateAsync(
            new VerifyArchiveCertificateRequest { ArchiveRegion = elsewhere, VerificationCode = "AAAAAAAAAAAAAAAA", Purpose = PurposeOfUse.SubjectRequest }).ResponseAsync);
        using var watch = Client.WatchArchiveLookup(new WatchArchiveLookupRequest { ArchiveRegion = elsewhere, LookupId = "310000L00000001" });
        await RpcAssert.FailsWith(StatusCode.NotFound, () => watch.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task Get_MissingLookupIdAndMalformedRegion_FailsInvalidArgumentNamingBoth()
    {
        await RpcAssert.FailsWithFieldViolations(
            () => Client.GetArchiveLookupAsync(new GetArchiveLookupRequest { ArchiveRegion = "3100" }).ResponseAsync,
            "archive_region", "lookup_id");
    }

    private SubmitArchiveLookupRequest Valid(string requestId) => new()
    {
        RequestId = requestId,
        ArchiveRegion = "310000",
        Category = ArchiveCategory.School,
        Subject = new Subject { CitizenId = Person.CitizenId },
        SubjectName = Person.Name,
        Description = "",
        Purpose = PurposeOfUse.SubjectRequest,
    };
}
