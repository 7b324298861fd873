using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Exchange.PartnerSim.Tests.Archive;

/// <summary>A look-up's way through the archive, driven by a fake clock and read through the real channel.</summary>
public sealed class ArchiveLookupTests
{
    [Fact]
    public async Task Submit_NewRequest_ReturnsSubmittedLookupWithIdsAndTimes()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var request = archive.Request(archive.WithHoldings);

        var lookup = await archive.SubmitAsync(request);

        Assert.Equal("330000L00000001", lookup.LookupId);
        Assert.Equal(request.RequestId, lookup.RequestId);
        Assert.Equal("330000", lookup.ArchiveRegion);
        Assert.Equal(ArchiveCategory.School, lookup.Category);
        Assert.Equal(LookupState.Submitted, lookup.State);
        Assert.Equal("", lookup.StateReason);
        Assert.Equal(Timestamp.FromDateTimeOffset(ArchiveRegion.Start), lookup.SubmitTime);
        Assert.Equal(Timestamp.FromDateTimeOffset(ArchiveRegion.Start), lookup.UpdateTime);
        Assert.Equal(Timestamp.FromDateTimeOffset(ArchiveRegion.Start.AddDays(4)), lookup.ExpectedTime);
        Assert.Equal("330000L00000002", (await archive.SubmitAsync(archive.Request(archive.WithoutHoldings))).LookupId);
    }

    [Fact]
    public async Task Get_FoundHolding_MovesThroughSearchingToCertificateIssued()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var lookup = await archive.SubmitAsync(archive.Request(archive.WithHoldings));
        Assert.Equal(LookupState.Submitted, (await archive.GetAsync(lookup.LookupId)).State);

        archive.Advance();
        var searching = await archive.GetAsync(lookup.LookupId);
        Assert.Equal(LookupState.Searching, searching.State);
        Assert.Equal(Timestamp.FromDateTimeOffset(ArchiveRegion.Start + ArchiveRegion.Step), searching.UpdateTime);

        archive.Advance();
        var issued = await archive.GetAsync(lookup.LookupId);
        Assert.Equal(LookupState.CertificateIssued, issued.State);
        Assert.Equal("", issued.StateReason);
        Assert.Equal(Timestamp.FromDateTimeOffset(ArchiveRegion.Start + (2 * ArchiveRegion.Step)), issued.UpdateTime);
        Assert.Equal(lookup.SubmitTime, issued.SubmitTime);
        Assert.Equal(lookup.ExpectedTime, issued.ExpectedTime);
    }

    [Fact]
    public async Task Get_JustBeforeTheDelay_StaysInTheEarlierState()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var lookup = await archive.SubmitAsync(archive.Request(archive.WithHoldings));

        archive.Time.Advance(ArchiveRegion.Step - TimeSpan.FromTicks(1));
        Assert.Equal(LookupState.Submitted, (await archive.GetAsync(lookup.LookupId)).State);
        archive.Time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(LookupState.Searching, (await archive.GetAsync(lookup.LookupId)).State);
        archive.Time.Advance(ArchiveRegion.Step - TimeSpan.FromTicks(1));
        Assert.Equal(LookupState.Searching, (await archive.GetAsync(lookup.LookupId)).State);
    }

    [Fact]
    public async Task Get_ResidentWithoutHoldings_EndsNotFound()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        Assert.DoesNotContain(archive.Region.Host.Population.ArchiveHoldings, h => h.CitizenId == archive.WithoutHoldings.CitizenId);
        var lookup = await archive.SubmitAsync(archive.Request(archive.WithoutHoldings));

        archive.Advance(2);

        var ended = await archive.GetAsync(lookup.LookupId);
        Assert.Equal(LookupState.NotFound, ended.State);
        Assert.Contains("ARCHIVE_CATEGORY_SCHOOL", ended.StateReason, StringComparison.Ordinal);
        Personal.AssertAbsent(ended.StateReason, archive.WithoutHoldings);
    }

    [Fact]
    public async Task Get_WrongName_EndsNotFoundWithTheSameReasonAsNoRecord()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var person = archive.WithHoldings;
        var wrongName = archive.Resident(2).Name;
        Assert.NotEqual(person.Name, wrongName);
        var wrong = await archive.SubmitAsync(archive.Request(person, name: wrongName));
        var nothing = await archive.SubmitAsync(archive.Request(archive.WithoutHoldings));

        archive.Advance(2);

        var ended = await archive.GetAsync(wrong.LookupId);
        Assert.Equal(LookupState.NotFound, ended.State);
        Personal.AssertAbsent(ended.StateReason, person, wrongName);
        // Answering differently would tell the requester that a record about that ID exists.
        Assert.Equal((await archive.GetAsync(nothing.LookupId)).StateReason, ended.StateReason);
    }

    [Fact]
    public async Task Get_CategoryNotHeld_EndsNotFound()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var person = archive.WithHoldings;
        Assert.DoesNotContain(archive.Region.Host.Population.ArchiveHoldings, h => h.CitizenId == person.CitizenId && h.Category == ArchiveCategory.Property);
        var lookup = await archive.SubmitAsync(archive.Request(person, ArchiveCategory.Property));

        archive.Advance(2);

        Assert.Equal(LookupState.NotFound, (await archive.GetAsync(lookup.LookupId)).State);
    }

    [Fact]
    public async Task Get_CitizenOfAnotherRegion_EndsNotFound()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var request = archive.Request(archive.WithHoldings);
        request.Subject.CitizenId = "11010519491231002X"; // a valid Beijing ID: not a Zhejiang resident
        var lookup = await archive.SubmitAsync(request);

        archive.Advance(2);

        var ended = await archive.GetAsync(lookup.LookupId);
        Assert.Equal(LookupState.NotFound, ended.State);
        Assert.DoesNotContain("11010519491231002X", ended.StateReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ArchiveCategory.Marriage, PurposeOfUse.Audit)]
    [InlineData(ArchiveCategory.Marriage, PurposeOfUse.BenefitEligibility)]
    [InlineData(ArchiveCategory.FamilyPlanning, PurposeOfUse.SocialInsurance)]
    [InlineData(ArchiveCategory.FamilyPlanning, PurposeOfUse.CreditSupervision)]
    public async Task Get_RestrictedCategoryWithoutSubjectRequest_EndsRejected(ArchiveCategory category, PurposeOfUse purpose)
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var person = archive.WithHoldings; // holds a marriage record: refused all the same
        var lookup = await archive.SubmitAsync(archive.Request(person, category, purpose));

        archive.Advance();
        Assert.Equal(LookupState.Searching, (await archive.GetAsync(lookup.LookupId)).State);
        archive.Advance();

        var ended = await archive.GetAsync(lookup.LookupId);
        Assert.Equal(LookupState.Rejected, ended.State);
        Assert.Contains("PURPOSE_OF_USE_SUBJECT_REQUEST", ended.StateReason, StringComparison.Ordinal);
        Personal.AssertAbsent(ended.StateReason, person);
    }

    [Fact]
    public async Task Get_MarriageAtTheSubjectsRequest_IssuesCertificate()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var lookup = await archive.SubmitAsync(archive.Request(archive.WithHoldings, ArchiveCategory.Marriage, PurposeOfUse.SubjectRequest));

        archive.Advance(2);

        Assert.Equal(LookupState.CertificateIssued, (await archive.GetAsync(lookup.LookupId)).State);
    }

    [Fact]
    public async Task Get_EducatedYouthForAnotherPurpose_IsNotRestricted()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var holding = archive.Region.Host.Population.ArchiveHoldings.First(h => h.Category == ArchiveCategory.EducatedYouth);
        var person = archive.Region.Host.Population.ResidentsById[holding.CitizenId];
        var lookup = await archive.SubmitAsync(archive.Request(person, ArchiveCategory.EducatedYouth, PurposeOfUse.BenefitEligibility));

        archive.Advance(2);

        Assert.Equal(LookupState.CertificateIssued, (await archive.GetAsync(lookup.LookupId)).State);
    }

    [Fact]
    public async Task Get_UnknownLookup_FailsNotFound()
    {
        await using var archive = await ArchiveRegion.StartAsync();

        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => archive.GetAsync("330000L00000042"));

        Assert.Contains("330000L00000042", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_DuplicateRequestId_ReturnsTheSameLookupInItsCurrentState()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var request = archive.Request(archive.WithHoldings);
        var first = await archive.SubmitAsync(request);
        archive.Advance();

        var repeated = await archive.SubmitAsync(request.Clone());

        Assert.Equal(first.LookupId, repeated.LookupId);
        Assert.Equal(LookupState.Searching, repeated.State);
        Assert.Equal(first.SubmitTime, repeated.SubmitTime);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => archive.GetAsync("330000L00000002"));

        archive.Advance();
        Assert.Equal(LookupState.CertificateIssued, (await archive.SubmitAsync(request.Clone())).State);
    }

    [Fact]
    public async Task Submit_ConcurrentDuplicates_CreateOneLookup()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var request = archive.Request(archive.WithHoldings);

        var lookups = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => archive.SubmitAsync(request.Clone())));

        Assert.Single(lookups.Select(l => l.LookupId).Distinct());
        await RpcAssert.FailsWith(StatusCode.NotFound, () => archive.GetAsync("330000L00000002"));
    }

    [Fact]
    public async Task Submit_RequestIdReusedForAnotherRequest_FailsAlreadyExists()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var request = archive.Request(archive.WithHoldings);
        await archive.SubmitAsync(request);
        var other = request.Clone();
        other.Category = ArchiveCategory.Marriage;

        var error = await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => archive.SubmitAsync(other));

        Personal.AssertAbsent(error.Status.Detail, archive.WithHoldings);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => archive.GetAsync("330000L00000002"));
    }
}
