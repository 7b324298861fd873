using Exchange.Cli.Calls;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Exchange.Cli.Tests.Calls;

public sealed class RpcErrorPrinterTests
{
    [Fact]
    public void Print_BadRequest_ListsEveryFieldViolation()
    {
        var error = Error(Code.InvalidArgument, "invalid request", new BadRequest
        {
            FieldViolations =
            {
                new BadRequest.Types.FieldViolation { Field = "visit.citizen_id", Description = "check character does not match" },
                new BadRequest.Types.FieldViolation { Field = "visit.fee_items[2].amount.fen", Description = "must be greater than zero" },
            },
        });

        Assert.Equal(
            Lines(
                "error: INVALID_ARGUMENT: invalid request",
                "  field violation: visit.citizen_id: check character does not match",
                "  field violation: visit.fee_items[2].amount.fen: must be greater than zero"),
            Print(error));
    }

    [Fact]
    public void Print_ErrorInfo_ShowsReasonDomainAndMetadataInKeyOrder()
    {
        var error = Error(Code.PermissionDenied, "a purpose of use is required", new ErrorInfo
        {
            Reason = "PURPOSE_REQUIRED",
            Domain = "exchange.gov.cn",
            Metadata = { ["purpose_field"] = "purpose", ["method"] = "VerifyCard" },
        });

        Assert.Equal(
            Lines(
                "error: PERMISSION_DENIED: a purpose of use is required",
                "  error info: PURPOSE_REQUIRED (domain exchange.gov.cn) method=VerifyCard purpose_field=purpose"),
            Print(error));
    }

    [Fact]
    public void Print_RetryInfo_ShowsTheDelayInSeconds()
    {
        var error = Error(Code.ResourceExhausted, "rate limit", new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(1500)) });

        Assert.Equal(Lines("error: RESOURCE_EXHAUSTED: rate limit", "  retry after: 1.5 s"), Print(error));
    }

    [Fact]
    public void Print_OtherDetail_ShowsItAsJson()
    {
        var error = Error(Code.FailedPrecondition, "insurance suspended", new PreconditionFailure
        {
            Violations = { new PreconditionFailure.Types.Violation { Type = "INSURANCE", Subject = "status", Description = "suspended" } },
        });

        var printed = Print(error);

        Assert.StartsWith("error: FAILED_PRECONDITION: insurance suspended" + Environment.NewLine + "  detail: {", printed, StringComparison.Ordinal);
        Assert.Contains("type.googleapis.com/google.rpc.PreconditionFailure", printed, StringComparison.Ordinal);
        Assert.Contains("\"description\": \"suspended\"", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void Print_NoDetails_PrintsTheStatusLineOnly()
    {
        var error = new RpcException(new Grpc.Core.Status(StatusCode.NotFound, "no insured person with that ID in 310000"));

        Assert.Equal(Lines("error: NOT_FOUND: no insured person with that ID in 310000"), Print(error));
    }

    [Fact]
    public void Print_TransportHint_IsShownUnderTheStatus()
    {
        var error = new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "Error connecting to subchannel."));
        using var output = new StringWriter();

        RpcErrorPrinter.Print(error, output, "the server certificate is not trusted: expired");

        Assert.Equal(Lines("error: UNAVAILABLE: Error connecting to subchannel.", "  the server certificate is not trusted: expired"), output.ToString());
    }

    [Theory]
    [InlineData(StatusCode.OK, "OK")]
    [InlineData(StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED")]
    [InlineData(StatusCode.Unauthenticated, "UNAUTHENTICATED")]
    [InlineData(StatusCode.AlreadyExists, "ALREADY_EXISTS")]
    public void CodeName_IsTheCanonicalName(StatusCode code, string name) => Assert.Equal(name, RpcErrorPrinter.CodeName(code));

    private static RpcException Error(Code code, string message, Google.Protobuf.IMessage detail) =>
        new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(detail) } }.ToRpcException();

    private static string Print(RpcException error)
    {
        using var output = new StringWriter();
        RpcErrorPrinter.Print(error, output);
        return output.ToString();
    }

    private static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + Environment.NewLine));
}
