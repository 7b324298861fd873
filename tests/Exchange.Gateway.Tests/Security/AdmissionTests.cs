using System.Text.RegularExpressions;
using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using static Exchange.Gateway.Tests.Security.SecurityRequests;

namespace Exchange.Gateway.Tests.Security;

/// <summary>
/// Every refusal of the request path, end to end over mTLS: the exact status, message and ErrorInfo or BadRequest
/// the caller gets, and proof from the simulators' counters that nothing reached any region.
/// </summary>
public sealed class AdmissionTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Domain = "exchange.gov.cn";

    private GatewayEnvironment Environment => fixture.Environment;

    [Fact]
    public async Task PreSettle_AdmittedCaller_IsForwardedOnceToTheInsuredRegion()
    {
        // The control for every test below: the counters do see an admitted exchange.
        var citizenId = ActiveInsured(Environment, "310000");
        var shanghai = Environment.Regions["310000"].Statistics;
        var (before, beforeAll) = (shanghai.ReceivedBy(PreSettlePath), ReceivedByAllRegions(Environment));

        var answer = await Settlement(TestParticipants.Hospital).PreSettleAsync(PreSettle("310000", citizenId));

        Assert.Equal(20_001, answer.Amounts.Total.Fen);
        Assert.Equal(before + 1, shanghai.ReceivedBy(PreSettlePath));
        Assert.Equal(beforeAll + 1, ReceivedByAllRegions(Environment));
    }

    [Fact]
    public async Task Call_WithoutClientCertificate_IsUnauthenticatedAndNothingForwarded()
    {
        using var channel = Environment.ChannelWithoutCertificate();
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(channel);

        var e = await RefusedWithoutForwardingAsync(async () => await client.PreSettleAsync(PreSettle("310000", ActiveInsured(Environment, "310000"))));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("a client certificate issued by the exchange CA is required", e.Status.Detail);
        AssertErrorInfo(e, "CLIENT_CERTIFICATE_REQUIRED");
    }

    [Fact]
    public async Task Call_WithCertificateOfAnotherCa_IsUnauthenticatedAndNothingForwarded()
    {
        // The foreign certificate names a configured participant: only the issuer is wrong.
        using var channel = Environment.ChannelWithForeignCertificate();
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(channel);

        var e = await RefusedWithoutForwardingAsync(async () => await client.PreSettleAsync(PreSettle("310000", ActiveInsured(Environment, "310000"))));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        var subject = Regex.Escape(Environment.ForeignPki.ParticipantCertificate(TestParticipants.Hospital).Subject);
        Assert.Matches(
            $@"^the client certificate is not trusted: '{subject}' is not trusted at \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\dZ: not issued by the trusted CA$",
            e.Status.Detail);
        AssertErrorInfo(e, "CLIENT_CERTIFICATE_UNTRUSTED");
    }

    [Fact]
    public async Task Call_WithExpiredCertificateOfConfiguredParticipant_IsUntrustedAndNothingForwarded()
    {
        using var certificate = OddCertificates.Expired(Environment, TestParticipants.Hospital);
        using var channel = OddCertificates.ChannelPresenting(Environment, certificate);
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(channel);

        var e = await RefusedWithoutForwardingAsync(async () => await client.PreSettleAsync(PreSettle("310000", ActiveInsured(Environment, "310000"))));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Matches(
            @"^the client certificate is not trusted: 'CN=county-hospital' is not trusted at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ: expired or not yet valid$",
            e.Status.Detail);
        AssertErrorInfo(e, "CLIENT_CERTIFICATE_UNTRUSTED");
    }

    [Fact]
    public async Task Call_WithServerCertificateOfTheExchangeCa_IsUntrustedForClientAuthentication()
    {
        // Issued by the right CA to a region's server: it names no participant's role.
        using var channel = OddCertificates.ChannelPresenting(Environment, Environment.Pki.RegionServerCertificate("310000"));
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(channel);

        var e = await RefusedWithoutForwardingAsync(async () => await client.PreSettleAsync(PreSettle("310000", ActiveInsured(Environment, "310000"))));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal(
            "the client certificate is not trusted: 'CN=region-310000' is not issued for client authentication (extended key usage 1.3.6.1.5.5.7.3.2 missing)",
            e.Status.Detail);
        AssertErrorInfo(e, "CLIENT_CERTIFICATE_UNTRUSTED");
    }

    [Fact]
    public async Task Call_WithCertificateOfUnconfiguredParticipant_IsUnknownParticipantAndNothingForwarded()
    {
        var e = await RefusedWithoutForwardingAsync(async () =>
            await Settlement(TestParticipants.Stranger).PreSettleAsync(PreSettle("310000", ActiveInsured(Environment, "310000"))));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("participant 'stranger' is not registered with this gateway", e.Status.Detail);
        AssertErrorInfo(e, "UNKNOWN_PARTICIPANT", ("participant", "stranger"));
    }

    [Fact]
    public async Task Settle_ByParticipantWithoutTheMethod_IsMethodNotAllowedAndNothingForwarded()
    {
        var e = await RefusedWithoutForwardingAsync(async () =>
            await Settlement(TestParticipants.Museum).SettleAsync(Settle("341021", ActiveInsured(Environment, "341021"))));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal($"participant 'hangzhou-museum' may not call {SettlePath}", e.Status.Detail);
        AssertErrorInfo(e, "METHOD_NOT_ALLOWED", ("participant", "hangzhou-museum"), ("method", SettlePath));
    }

    [Fact]
    public async Task Settle_ByParticipantWithoutTheMethod_IsRefusedBeforeTheRequestIsRead()
    {
        // Garbage that would be INVALID_ARGUMENT for an admitted caller: the policy answers first.
        var e = await RefusedWithoutForwardingAsync(async () =>
            await RawUnary(Environment.ChannelFor(TestParticipants.Museum), "Settle", [0x0A, 0x10]));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        AssertErrorInfo(e, "METHOD_NOT_ALLOWED", ("participant", "hangzhou-museum"), ("method", SettlePath));
    }

    [Fact]
    public async Task Settle_TowardsRegionOutsideTheCallersTargets_IsTargetNotAllowedAndNothingForwarded()
    {
        var jiangsuInsured = ActiveInsured(Environment, "320000");

        var e = await RefusedWithoutForwardingAsync(async () =>
            await Settlement(TestParticipants.ShanghaiOnlyClinic).SettleAsync(Settle("320000", jiangsuInsured)));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("participant 'county-clinic' may not reach region 320000", e.Status.Detail);
        AssertErrorInfo(e, "TARGET_NOT_ALLOWED", ("participant", "county-clinic"), ("region", "320000"));
    }

    [Fact]
    public async Task ListCreditRecords_ByCallerLimitedToOneRegion_AsksOnlyThatRegionAndReportsTheOthersRefused()
    {
        const string path = "/exchange.credit.v1.CreditService/ListCreditRecords";
        var before = Environment.Regions.ToDictionary(r => r.Key, r => r.Value.Statistics.ReceivedBy(path));
        var client = new CreditService.CreditServiceClient(Environment.ChannelFor(TestParticipants.ShanghaiOnlyClinic));

        var answer = await client.ListCreditRecordsAsync(new ListCreditRecordsRequest
        {
            Subject = new Subject { CreditCode = Environment.Regions["310000"].Population.Organisations[0].CreditCode },
            Purpose = PurposeOfUse.CreditSupervision,
        });

        Assert.Equal(GatewayEnvironment.RegionCodes.Order(StringComparer.Ordinal), answer.RegionStatuses.Select(s => s.RegionCode));
        foreach (var status in answer.RegionStatuses)
        {
            var expected = status.RegionCode == "310000" ? RegionOutcome.Answered : RegionOutcome.Refused;
            Assert.Equal(expected, status.Outcome);
            Assert.Equal(status.RegionCode == "310000" ? "" : "participant 'county-clinic' may not reach this region", status.Detail);
            Assert.Equal(before[status.RegionCode] + (status.RegionCode == "310000" ? 1 : 0), Environment.Regions[status.RegionCode].Statistics.ReceivedBy(path));
        }

        Assert.NotEmpty(answer.Records);
        Assert.All(answer.Records, r => Assert.Equal("310000", r.OriginRegion));
    }

    [Fact]
    public async Task PreSettle_WithoutPurpose_IsPurposeRequiredAndNothingForwarded()
    {
        var request = PreSettle("310000", ActiveInsured(Environment, "310000"));
        request.Purpose = PurposeOfUse.Unspecified;

        var e = await RefusedWithoutForwardingAsync(async () => await Settlement(TestParticipants.Hospital).PreSettleAsync(request));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("PreSettle touches personal data: state the purpose of use in 'purpose'", e.Status.Detail);
        AssertErrorInfo(e, "PURPOSE_REQUIRED", ("method", PreSettlePath), ("field", "purpose"));
    }

    [Fact]
    public async Task PreSettle_WithPurposeOutsideTheCallersPolicy_IsPurposeNotAllowedAndNothingForwarded()
    {
        var request = PreSettle("310000", ActiveInsured(Environment, "310000"));
        request.Purpose = PurposeOfUse.CreditSupervision;

        var e = await RefusedWithoutForwardingAsync(async () => await Settlement(TestParticipants.Hospital).PreSettleAsync(request));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("participant 'county-hospital' may not state purpose PURPOSE_OF_USE_CREDIT_SUPERVISION", e.Status.Detail);
        AssertErrorInfo(e, "PURPOSE_NOT_ALLOWED", ("participant", "county-hospital"), ("purpose", "PURPOSE_OF_USE_CREDIT_SUPERVISION"));
    }

    [Fact]
    public async Task PreSettle_CitizenIdWithWrongCheckCharacter_IsInvalidArgumentNamingTheFieldButNotTheValue()
    {
        var valid = ActiveInsured(Environment, "310000");
        var wrong = valid[..17] + (valid[17] == '0' ? '1' : '0');
        var request = PreSettle("310000", wrong);

        var e = await RefusedWithoutForwardingAsync(async () => await Settlement(TestParticipants.Hospital).PreSettleAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("invalid request: visit.citizen_id is not a citizen ID number: check character does not match", e.Status.Detail);
        var violation = Assert.Single(BadRequestOf(e).FieldViolations);
        Assert.Equal("visit.citizen_id", violation.Field);
        Assert.Equal("is not a citizen ID number: check character does not match", violation.Description);
        Assert.DoesNotContain(wrong[..17], e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreSettle_WithSeveralInvalidFields_ListsEveryViolationByPath()
    {
        var request = PreSettle("310000", ActiveInsured(Environment, "310000"));
        request.InsuredRegion = "999999";
        request.Visit.Hospital = null;
        request.Visit.FeeItems[1].Amount.Fen = -1;

        var e = await RefusedWithoutForwardingAsync(async () => await Settlement(TestParticipants.Hospital).PreSettleAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(
            [
                ("insured_region", "is not a GB/T 2260 region code: names no known region"),
                ("visit.hospital", "must be set"),
                ("visit.fee_items[1].amount.fen", "is not a valid amount: must be 0 to 9,999,999,999,999,999 fen"),
            ],
            BadRequestOf(e).FieldViolations.Select(v => (v.Field, v.Description)));
    }

    [Fact]
    public async Task UnknownMethodOfAKnownService_IsUnimplementedAndNothingForwarded()
    {
        var request = PreSettle("310000", ActiveInsured(Environment, "310000")).ToByteArray();

        var e = await RefusedWithoutForwardingAsync(async () =>
            await RawUnary(Environment.ChannelFor(TestParticipants.Hospital), "NoSuchMethod", request));

        Assert.Equal(StatusCode.Unimplemented, e.StatusCode);
        Assert.Equal("Method is unimplemented.", e.Status.Detail);
    }

    [Fact]
    public async Task PreSettle_WithMalformedProtobufBytes_IsInvalidArgumentAndNothingForwarded()
    {
        // Field 1, length-delimited, announcing 16 bytes that never come.
        var e = await RefusedWithoutForwardingAsync(async () =>
            await RawUnary(Environment.ChannelFor(TestParticipants.Hospital), "PreSettle", [0x0A, 0x10, 0x33]));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var violation = Assert.Single(BadRequestOf(e).FieldViolations);
        Assert.Equal("", violation.Field);
        Assert.Equal("the request is not a valid exchange.medical.v1.PreSettleRequest message", violation.Description);
    }

    private CrossRegionSettlementService.CrossRegionSettlementServiceClient Settlement(string participant) =>
        new(Environment.ChannelFor(participant));

    private static async Task<byte[]> RawUnary(GrpcChannel channel, string method, byte[] request)
    {
        var marshaller = Marshallers.Create(static (byte[] b) => b, static b => b);
        var raw = new Method<byte[], byte[]>(MethodType.Unary, "exchange.medical.v1.CrossRegionSettlementService", method, marshaller, marshaller);
        return await channel.CreateCallInvoker().AsyncUnaryCall(raw, null, new CallOptions(), request);
    }

    private async Task<RpcException> RefusedWithoutForwardingAsync(Func<Task> call)
    {
        var before = Environment.Regions.ToDictionary(r => r.Key, r => r.Value.Statistics.TotalReceived);
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(before, Environment.Regions.ToDictionary(r => r.Key, r => r.Value.Statistics.TotalReceived));
        return e;
    }

    private static void AssertErrorInfo(RpcException e, string reason, params (string Key, string Value)[] metadata)
    {
        var info = ErrorInfoOf(e);
        Assert.Equal(reason, info.Reason);
        Assert.Equal(Domain, info.Domain);
        Assert.Equal(metadata.OrderBy(m => m.Key, StringComparer.Ordinal), info.Metadata.Select(m => (m.Key, m.Value)).OrderBy(m => m.Key, StringComparer.Ordinal));
    }
}
