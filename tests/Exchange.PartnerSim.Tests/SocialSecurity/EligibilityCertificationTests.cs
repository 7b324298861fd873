using System.Globalization;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Privacy;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.SocialSecurity;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Exchange.PartnerSim.Tests.SocialSecurity;

public sealed class EligibilityCertificationTests(CardRegionFixture fixture) : IClassFixture<CardRegionFixture>
{
    private static readonly DateOnly Today = CardRegionFixture.Today;

    private SocialSecurityCardService.SocialSecurityCardServiceClient Client => fixture.Client;

    [Theory]
    [InlineData(BenefitStatus.Active)]
    [InlineData(BenefitStatus.CertificationDue)]
    [InlineData(BenefitStatus.Suspended)]
    public async Task SubmitEligibilityCertification_Today_MakesThePensionActiveAsSeenByCompareResidents(BenefitStatus before)
    {
        var pension = fixture.TakePension(p => p.Status == before);
        var hash = HashOf(pension.CitizenId);
        var earlier = await CompareResidentsTests.CompareAsync(Client, [CompareResidentsTests.First([hash])]);
        Assert.Equal(before, Assert.Single(earlier.Matches).BenefitStatus);

        var response = await Client.SubmitEligibilityCertificationAsync(Request(pension.CitizenId, Today));

        Assert.Matches("^310000C[0-9]{8}$", response.CertificationId);
        Assert.Equal(BenefitStatus.Active, response.BenefitStatus);
        Assert.Equal("2026-06-15", response.NextDueDate);
        var later = await CompareResidentsTests.CompareAsync(Client, [CompareResidentsTests.First([hash])]);
        var match = Assert.Single(later.Matches);
        Assert.Equal(BenefitStatus.Active, match.BenefitStatus);
        Assert.Equal("2025-06-15", match.LastCertificationDate);
    }

    [Fact]
    public async Task SubmitEligibilityCertification_DatedMoreThanAYearAgo_LeavesThePensionDue()
    {
        var pension = fixture.TakePension(p => p.Status == BenefitStatus.Suspended);
        var date = pension.LastCertificationDate.AddDays(1);
        Assert.True(date.AddYears(1) < Today, "a suspended pension was last certified more than a year ago");

        var response = await Client.SubmitEligibilityCertificationAsync(Request(pension.CitizenId, date));

        Assert.Equal(BenefitStatus.CertificationDue, response.BenefitStatus);
        Assert.Equal(Format(date.AddYears(1)), response.NextDueDate);
    }

    [Fact]
    public async Task SubmitEligibilityCertification_TwoCertifications_GetConsecutiveIds()
    {
        var first = fixture.TakePension(p => p.Status == BenefitStatus.Active);
        var second = fixture.TakePension(p => p.Status == BenefitStatus.Active);

        var a = await Client.SubmitEligibilityCertificationAsync(Request(first.CitizenId, Today));
        var b = await Client.SubmitEligibilityCertificationAsync(Request(second.CitizenId, Today));

        Assert.NotEqual(a.CertificationId, b.CertificationId);
        Assert.True(string.CompareOrdinal(a.CertificationId, b.CertificationId) < 0, $"{a.CertificationId} then {b.CertificationId}");
    }

    [Fact]
    public async Task SubmitEligibilityCertification_DuplicateRequestId_ReturnsOriginalAndCertifiesOnce()
    {
        var pension = fixture.TakePension(p => p.Status == BenefitStatus.CertificationDue);
        var request = Request(pension.CitizenId, Today.AddDays(-3));
        var original = await Client.SubmitEligibilityCertificationAsync(request);
        var count = Registry.CertificationCount;

        var repeat = await Client.SubmitEligibilityCertificationAsync(request.Clone());

        Assert.Equal(original, repeat);
        Assert.Equal(count, Registry.CertificationCount);
    }

    [Fact]
    public async Task SubmitEligibilityCertification_RequestIdReusedForDifferentRequest_IsAlreadyExists()
    {
        var pension = fixture.TakePension(p => p.Status == BenefitStatus.Active);
        var request = Request(pension.CitizenId, Today);
        await Client.SubmitEligibilityCertificationAsync(request);
        var changed = request.Clone();
        changed.Method = CertificationMethod.InPerson;

        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => Client.SubmitEligibilityCertificationAsync(changed).ResponseAsync);
    }

    [Fact]
    public async Task SubmitEligibilityCertification_NoPensionHere_IsNotFoundWithoutTheId()
    {
        var young = fixture.Population.Residents.First(r => fixture.Population.Pensions.All(p => p.CitizenId != r.CitizenId));

        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.SubmitEligibilityCertificationAsync(Request(young.CitizenId, Today)).ResponseAsync);

        Assert.Equal("no pensioner matches in region 310000", error.Status.Detail);
    }

    [Fact]
    public async Task SubmitEligibilityCertification_PensionEnded_FailsPrecondition()
    {
        var ended = fixture.TakePension(p => p.Status == BenefitStatus.Ended);

        var error = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Client.SubmitEligibilityCertificationAsync(Request(ended.CitizenId, Today)).ResponseAsync);

        Assert.DoesNotContain(ended.CitizenId, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitEligibilityCertification_DateInTheFuture_IsInvalidArgument()
    {
        var pension = fixture.TakePension(p => p.Status == BenefitStatus.Active);

        var badRequest = await RpcAssert.FailsWithFieldViolations(
            () => Client.SubmitEligibilityCertificationAsync(Request(pension.CitizenId, Today.AddDays(1))).ResponseAsync, "certification_date");

        Assert.Equal("must not be in the future", badRequest.FieldViolations[0].Description);
    }

    [Fact]
    public async Task SubmitEligibilityCertification_DateBeforeLastCertification_IsInvalidArgument()
    {
        var pension = fixture.TakePension(p => p.Status == BenefitStatus.Active);

        var badRequest = await RpcAssert.FailsWithFieldViolations(
            () => Client.SubmitEligibilityCertificationAsync(Request(pension.CitizenId, pension.LastCertificationDate.AddDays(-1))).ResponseAsync,
            "certification_date");

        Assert.Equal("must not be before the pension's last certification", badRequest.FieldViolations[0].Description);
    }

    [Fact]
    public async Task SubmitEligibilityCertification_RegionNotServed_IsNotFound()
    {
        var request = Request(fixture.Population.Pensions[0].CitizenId, Today);
        request.PensionRegion = "341021";

        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.SubmitEligibilityCertificationAsync(request).ResponseAsync);

        Assert.Contains("pension_region 341021", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("citizen_id")]
    [InlineData("residence_region")]
    [InlineData("method")]
    [InlineData("certification_date")]
    public async Task SubmitEligibilityCertification_MalformedField_IsInvalidArgumentNamingIt(string field)
    {
        var request = Request(fixture.Population.Pensions[0].CitizenId, Today);
        switch (field)
        {
            case "citizen_id": request.CitizenId = "110105194912310021"; break;
            case "residence_region": request.ResidenceRegion = "3410210"; break;
            case "method": request.Method = CertificationMethod.Unspecified; break;
            default: request.CertificationDate = "2025-02-30"; break;
        }

        await RpcAssert.FailsWithFieldViolations(() => Client.SubmitEligibilityCertificationAsync(request).ResponseAsync, field);
    }

    private SocialSecurityRegistry Registry => fixture.Region.Host.Services.GetRequiredService<SocialSecurityRegistry>();

    internal static string HashOf(string citizenId) => KeyedHash.ComputeHex(PartnerRegionOptions.DevelopmentComparisonKey.Span, citizenId);

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static SubmitEligibilityCertificationRequest Request(string citizenId, DateOnly date) => new()
    {
        RequestId = CardLossTests.NewRequestId(),
        PensionRegion = "310000",
        CitizenId = citizenId,
        ResidenceRegion = "341021",
        Method = CertificationMethod.FaceRecognition,
        CertificationDate = Format(date),
        Purpose = PurposeOfUse.BenefitEligibility,
    };
}
