using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Tests.Infrastructure;
using Exchange.PartnerSim.Medical;
using Microsoft.Extensions.DependencyInjection;

namespace Exchange.PartnerSim.Tests.Validation;

/// <summary>
/// Every method that touches personal data refuses a request without a purpose of use: PERMISSION_DENIED with
/// ErrorInfo PURPOSE_REQUIRED, before any field is checked and before anything happens.
/// </summary>
public sealed class PurposeOfUseTests(ShanghaiRegionFixture fixture) : IClassFixture<ShanghaiRegionFixture>
{
    public static TheoryData<string> Methods() =>
    [
        "VerifyCard", "ListCardEntitlements", "ReportCardLoss", "SubmitEligibilityCertification", "GetInsuredPerson",
        "Settle", "ReverseSettlement", "ListCreditRecords", "PublishCreditRecord", "SubmitArchiveLookup", "VerifyArchiveCertificate",
    ];

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task RequestWithoutPurpose_IsPermissionDenied_AndChangesNothing(string method)
    {
        var channel = fixture.Region.Channel;
        var person = fixture.Region.Host.Population.Residents[3].CitizenId;
        var card = fixture.Region.Host.Population.Cards[2];

        Func<Task> call = method switch
        {
            "VerifyCard" => () => new SocialSecurityCardService.SocialSecurityCardServiceClient(channel)
                .VerifyCardAsync(new VerifyCardRequest { IssuingRegion = "310000", CitizenId = person }).ResponseAsync,
            "ListCardEntitlements" => () => new SocialSecurityCardService.SocialSecurityCardServiceClient(channel)
                .ListCardEntitlementsAsync(new ListCardEntitlementsRequest { IssuingRegion = "310000", CitizenId = person }).ResponseAsync,
            "ReportCardLoss" => () => new SocialSecurityCardService.SocialSecurityCardServiceClient(channel)
                .ReportCardLossAsync(new ReportCardLossRequest
                {
                    RequestId = "purpose-test-1", IssuingRegion = "310000", CitizenId = card.CitizenId, CardNumber = card.CardNumber, Kind = LossReportKind.Verbal,
                }).ResponseAsync,
            "SubmitEligibilityCertification" => () => new SocialSecurityCardService.SocialSecurityCardServiceClient(channel)
                .SubmitEligibilityCertificationAsync(new SubmitEligibilityCertificationRequest
                {
                    RequestId = "purpose-test-2", PensionRegion = "310000", CitizenId = person, ResidenceRegion = "341021",
                    Method = CertificationMethod.FaceRecognition, CertificationDate = "2025-01-02",
                }).ResponseAsync,
            "GetInsuredPerson" => () => new CrossRegionSettlementService.CrossRegionSettlementServiceClient(channel)
                .GetInsuredPersonAsync(new GetInsuredPersonRequest { InsuredRegion = "310000", CitizenId = person }).ResponseAsync,
            "Settle" => () => new CrossRegionSettlementService.CrossRegionSettlementServiceClient(channel)
                .SettleAsync(new SettleRequest { RequestId = "H34102100001202611290800000001", InsuredRegion = "310000", Visit = new Visit() }).ResponseAsync,
            "ReverseSettlement" => () => new CrossRegionSettlementService.CrossRegionSettlementServiceClient(channel)
                .ReverseSettlementAsync(new ReverseSettlementRequest
                {
                    RequestId = "H34102100001202611290800000002", InsuredRegion = "310000", OriginalRequestId = "H34102100001202611290800000003",
                }).ResponseAsync,
            "ListCreditRecords" => () => new CreditService.CreditServiceClient(channel)
                .ListCreditRecordsAsync(new ListCreditRecordsRequest { Subject = new Subject { CitizenId = person } }).ResponseAsync,
            "PublishCreditRecord" => () => new CreditService.CreditServiceClient(channel)
                .PublishCreditRecordAsync(new PublishCreditRecordRequest { RequestId = "purpose-test-3", OriginRegion = "310000", Record = new CreditRecord() }).ResponseAsync,
            "SubmitArchiveLookup" => () => new ArchiveService.ArchiveServiceClient(channel)
                .SubmitArchiveLookupAsync(new SubmitArchiveLookupRequest
                {
                    RequestId = "purpose-test-4", ArchiveRegion = "310000", Category = ArchiveCategory.School,
                    Subject = new Subject { CitizenId = person }, SubjectName = "王伟",
                }).ResponseAsync,
            "VerifyArchiveCertificate" => () => new ArchiveService.ArchiveServiceClient(channel)
                .VerifyArchiveCertificateAsync(new VerifyArchiveCertificateRequest { ArchiveRegion = "310000", VerificationCode = "ABCDEFGHIJKLMNOP" }).ResponseAsync,
            _ => throw new ArgumentOutOfRangeException(nameof(method)),
        };

        var info = await RpcAssert.FailsWithPurposeRequired(call);

        Assert.EndsWith("/" + method, info.Metadata["method"], StringComparison.Ordinal);
        Assert.Equal("purpose", info.Metadata["field"]);
        Assert.Equal(0, fixture.Region.Host.Services.GetRequiredService<ISettlementCounter>().SettlementCount);
    }

    [Fact]
    public async Task MethodWithoutPersonalData_NeedsNoPurpose()
    {
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(fixture.Region.Channel);

        var summary = await client.GetReconciliationSummaryAsync(new GetReconciliationSummaryRequest
        {
            InsuredRegion = "310000", TreatmentRegion = "341021", SettlementDate = "2026-11-29",
        });

        Assert.Equal(0, summary.SettledCount);
    }
}
