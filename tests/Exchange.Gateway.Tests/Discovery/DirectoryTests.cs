using System.Text;
using Exchange.Contracts.Directory.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Discovery;

/// <summary>The gateway's directory, asked through the gateway over mTLS.</summary>
public sealed class DirectoryTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayEnvironment Environment => fixture.Environment;

    private DirectoryService.DirectoryServiceClient Client => new(Environment.ChannelFor(TestParticipants.ShanghaiPlatform));

    [Fact]
    public async Task ListParticipants_PagesOfThree_ListEveryParticipantOnceOrderedById()
    {
        var pages = new List<ListParticipantsResponse>();
        var token = "";
        do
        {
            var page = await Client.ListParticipantsAsync(new ListParticipantsRequest { PageSize = 3, PageToken = token });
            pages.Add(page);
            token = page.NextPageToken;
        }
        while (token.Length > 0 && pages.Count < 10);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Participants.Count));
        Assert.All(pages.SkipLast(1), p => Assert.NotEqual("", p.NextPageToken));
        Assert.Equal("", pages[^1].NextPageToken);
        var configured = TestParticipants.Configured().OrderBy(p => p.Id, StringComparer.Ordinal).ToArray();
        var listed = pages.SelectMany(p => p.Participants).ToArray();
        Assert.Equal(configured.Select(p => p.Id), listed.Select(p => p.ParticipantId));
        Assert.Equal(configured.Select(p => p.Region), listed.Select(p => p.RegionCode));
        Assert.Equal(configured.Select(p => p.DisplayName), listed.Select(p => p.DisplayName));
        Assert.Equal(
            configured.Select(p => p.Role == ParticipantRole.PartnerRegion ? ParticipantKind.PartnerRegion : ParticipantKind.CountySystem),
            listed.Select(p => p.Kind));
    }

    [Fact]
    public async Task ListParticipants_DefaultPageSize_ListsAllOnOnePage()
    {
        var page = await Client.ListParticipantsAsync(new ListParticipantsRequest());

        Assert.Equal(7, page.Participants.Count);
        Assert.Equal("", page.NextPageToken);
    }

    [Theory]
    [InlineData("bm90LWEtdG9rZW4=", "was not issued by this gateway")] // base64 of "not-a-token"
    [InlineData("%%%", "was not issued by this gateway")] // not base64 at all
    [InlineData("cDE6OTk=", "was not issued for this list")] // "p1:99": the form of ours, past the end of this list
    public async Task ListParticipants_ForeignPageToken_IsInvalidArgumentOnPageToken(string token, string description)
    {
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.ListParticipantsAsync(new ListParticipantsRequest { PageSize = 3, PageToken = token }));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal($"invalid request: page_token {description}", e.Status.Detail);
        var violation = Assert.Single(e.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations);
        Assert.Equal("page_token", violation.Field);
        Assert.Equal(description, violation.Description);
    }

    [Fact]
    public async Task ListParticipants_NegativePageSize_IsInvalidArgumentOnPageSize()
    {
        var e = await Assert.ThrowsAsync<RpcException>(async () => await Client.ListParticipantsAsync(new ListParticipantsRequest { PageSize = -1 }));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("invalid request: page_size must not be negative", e.Status.Detail);
        Assert.Equal("page_size", Assert.Single(e.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
    }

    [Fact]
    public async Task ListParticipants_TokenOfTheSecondPage_DecodesToAnOffsetOnly()
    {
        // Opaque to clients, but carrying nothing about the caller or the list beyond a position.
        var first = await Client.ListParticipantsAsync(new ListParticipantsRequest { PageSize = 3 });

        Assert.Equal("p1:3", Encoding.ASCII.GetString(Convert.FromBase64String(first.NextPageToken)));
    }

    [Fact]
    public async Task ListParticipants_WithoutClientCertificate_IsUnauthenticated()
    {
        using var channel = Environment.ChannelWithoutCertificate();

        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await new DirectoryService.DirectoryServiceClient(channel).ListParticipantsAsync(new ListParticipantsRequest()));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("a client certificate issued by the exchange CA is required", e.Status.Detail);
        Assert.Equal("CLIENT_CERTIFICATE_REQUIRED", e.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
    }

    [Fact]
    public async Task ListServices_ByUnconfiguredParticipant_IsUnknownParticipant()
    {
        var client = new DirectoryService.DirectoryServiceClient(Environment.ChannelFor(TestParticipants.Stranger));

        var e = await Assert.ThrowsAsync<RpcException>(async () => await client.ListServicesAsync(new ListServicesRequest()));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("participant 'stranger' is not registered with this gateway", e.Status.Detail);
        var info = e.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("UNKNOWN_PARTICIPANT", info.Reason);
        Assert.Equal("stranger", info.Metadata["participant"]);
    }

    [Fact]
    public async Task ListServices_ListsTheFiveExchangeServicesAndTheAuditServiceWithTheirMethods()
    {
        var answer = await Client.ListServicesAsync(new ListServicesRequest());

        Assert.Equal(
            [
                ("exchange.archive.v1.ArchiveService", 5),
                ("exchange.audit.v1.AuditService", 2),
                ("exchange.credit.v1.CreditService", 4),
                ("exchange.directory.v1.DirectoryService", 2),
                ("exchange.medical.v1.CrossRegionSettlementService", 8),
                ("exchange.socialsecurity.v1.SocialSecurityCardService", 6),
            ],
            answer.Services.Select(s => (s.FullName, s.Methods.Count)));
        var medical = answer.Services.Single(s => s.FullName == "exchange.medical.v1.CrossRegionSettlementService");
        Assert.Equal(
            ["GetInsuredPerson", "PreSettle", "Settle", "CancelSettlement", "ReverseSettlement", "GetSettlement", "GetReconciliationSummary", "StreamReconciliationDetails"],
            medical.Methods.Select(m => m.Name));
        Assert.Equal(
            new MethodInfo
            {
                Name = "Settle", Path = "/exchange.medical.v1.CrossRegionSettlementService/Settle", Streaming = StreamingKind.Unary,
                Idempotency = Exchange.Contracts.Directory.V1.Idempotency.Unspecified, RequiresRequestId = true, RequiresPurpose = true, FanOut = false,
            },
            medical.Methods.Single(m => m.Name == "Settle"));
        var credit = answer.Services.Single(s => s.FullName == "exchange.credit.v1.CreditService");
        Assert.True(credit.Methods.Single(m => m.Name == "ListCreditRecords").FanOut);
        var cards = answer.Services.Single(s => s.FullName == "exchange.socialsecurity.v1.SocialSecurityCardService");
        Assert.Equal(StreamingKind.ClientStreaming, cards.Methods.Single(m => m.Name == "CompareResidents").Streaming);
    }

    [Fact]
    public async Task ListParticipants_ByParticipantWhosePolicyOmitsTheDirectory_IsMethodNotAllowed()
    {
        var client = new DirectoryService.DirectoryServiceClient(Environment.ChannelFor(TestParticipants.Museum));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.ListParticipantsAsync(new ListParticipantsRequest()));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("METHOD_NOT_ALLOWED", error.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
    }
}
