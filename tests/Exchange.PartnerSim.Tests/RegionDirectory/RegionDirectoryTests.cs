using Exchange.Contracts.Directory.V1;
using Exchange.PartnerSim.Tests.Infrastructure;

namespace Exchange.PartnerSim.Tests.RegionDirectory;

/// <summary>The directory a partner region answers for itself.</summary>
public sealed class RegionDirectoryTests(ShanghaiRegionFixture fixture) : IClassFixture<ShanghaiRegionFixture>
{
    [Fact]
    public async Task ListServices_DescribesEveryContractMethodFromItsAnnotations()
    {
        var directory = new DirectoryService.DirectoryServiceClient(fixture.Region.Channel);

        var services = (await directory.ListServicesAsync(new ListServicesRequest())).Services;

        Assert.Equal(
            ["exchange.archive.v1.ArchiveService", "exchange.credit.v1.CreditService", "exchange.directory.v1.DirectoryService",
             "exchange.medical.v1.CrossRegionSettlementService", "exchange.socialsecurity.v1.SocialSecurityCardService"],
            services.Select(s => s.FullName));
        var methods = services.SelectMany(s => s.Methods).ToDictionary(m => m.Path);
        Assert.Equal(25, methods.Count);

        var settle = methods["/exchange.medical.v1.CrossRegionSettlementService/Settle"];
        Assert.True(settle.RequiresRequestId);
        Assert.True(settle.RequiresPurpose);
        Assert.Equal(Contracts.Directory.V1.Idempotency.Unspecified, settle.Idempotency);

        var preSettle = methods["/exchange.medical.v1.CrossRegionSettlementService/PreSettle"];
        Assert.False(preSettle.RequiresRequestId);
        Assert.Equal(Contracts.Directory.V1.Idempotency.NoSideEffects, preSettle.Idempotency);

        Assert.True(methods["/exchange.credit.v1.CreditService/ListCreditRecords"].FanOut);
        Assert.Equal(StreamingKind.ClientStreaming, methods["/exchange.socialsecurity.v1.SocialSecurityCardService/CompareResidents"].Streaming);
        Assert.Equal(StreamingKind.ServerStreaming, methods["/exchange.archive.v1.ArchiveService/WatchArchiveLookup"].Streaming);
        Assert.Equal(
            ["CancelSettlement", "LiftCardLoss", "PublishCreditRecord", "RepairCredit", "ReportCardLoss", "ReverseSettlement", "Settle", "SubmitArchiveLookup", "SubmitEligibilityCertification"],
            methods.Values.Where(m => m.RequiresRequestId).Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AuditService_IsGatewayOnly_ThePartnerRegionAnswersUnimplemented()
    {
        // Listed by the gateway's directory, never by a region's (the test above lists the region's five services).
        var audit = new Contracts.Audit.V1.AuditService.AuditServiceClient(fixture.Region.Channel);

        var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await audit.QueryAuditRecordsAsync(
            new Contracts.Audit.V1.QueryAuditRecordsRequest { Purpose = Contracts.V1.PurposeOfUse.Audit }));

        Assert.Equal(Grpc.Core.StatusCode.Unimplemented, e.StatusCode);
    }

    [Fact]
    public async Task ListParticipants_AnswersForTheRegionItself()
    {
        var directory = new DirectoryService.DirectoryServiceClient(fixture.Region.Channel);

        var answer = await directory.ListParticipantsAsync(new ListParticipantsRequest());

        var participant = Assert.Single(answer.Participants);
        Assert.Equal("region-310000", participant.ParticipantId);
        Assert.Equal("310000", participant.RegionCode);
        Assert.Equal(ParticipantKind.PartnerRegion, participant.Kind);
        Assert.Empty(answer.NextPageToken);
    }

    [Fact]
    public async Task ListParticipants_ForeignPageToken_IsInvalidArgument()
    {
        var directory = new DirectoryService.DirectoryServiceClient(fixture.Region.Channel);

        await RpcAssert.FailsWithFieldViolations(
            async () => await directory.ListParticipantsAsync(new ListParticipantsRequest { PageToken = "abc" }), "page_token");
    }
}
