using Google.Rpc;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Faults;

/// <summary>How a call through the gateway ended, as docs/resilience.md and docs/idempotency.md tell a client to read it.</summary>
internal enum Ending
{
    /// <summary>OK.</summary>
    Succeeded,

    /// <summary>The partner's definite refusal (INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, ALREADY_EXISTS, PERMISSION_DENIED, OUT_OF_RANGE).</summary>
    Refused,

    /// <summary>Refused by the gateway's resilience or its idempotency store without sending anything (ErrorInfo forwarded = false, IDEMPOTENCY_STORE_UNAVAILABLE).</summary>
    FailedFast,

    /// <summary>UNAVAILABLE from the gateway without ErrorInfo ("region … is unavailable"): after its retries; for a side-effecting call, proven not sent.</summary>
    Unavailable,

    /// <summary>DEADLINE_EXCEEDED from the gateway ("region … did not answer within the deadline" or "… attempt timeout …"): read-only calls only.</summary>
    GatewayDeadline,

    /// <summary>ABORTED, OUTCOME_UNKNOWN: side-effecting calls only.</summary>
    OutcomeUnknown,

    /// <summary>ABORTED, REQUEST_IN_PROGRESS: side-effecting calls only.</summary>
    InProgress,

    /// <summary>ALREADY_EXISTS, REQUEST_ID_REUSED: the request_id was used for another request.</summary>
    RequestIdReused,

    /// <summary>
    /// DEADLINE_EXCEEDED not answered by the gateway: the caller's own deadline ended the call before the gateway's
    /// answer arrived. Documented ("DEADLINE_EXCEEDED … seen by your client": treat it as unknown and resend; for a
    /// read-only call, retry), but the gateway did not answer within the deadline.
    /// </summary>
    CallersOwnDeadline,

    /// <summary>Anything the documents do not list for the kind of method.</summary>
    Undocumented,
}

/// <summary>Sorts the end of a call into an <see cref="Ending"/>.</summary>
internal static class Endings
{
    /// <summary>The ending of a call that threw <paramref name="error"/> (null: it succeeded).</summary>
    /// <param name="error">The error, or null.</param>
    /// <param name="sideEffecting">Whether the method carries a request_id (Settle) rather than having no side effects.</param>
    public static Ending Of(RpcException? error, bool sideEffecting)
    {
        if (error is null)
        {
            return Ending.Succeeded;
        }

        var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
        if (info is { Domain: "exchange.gov.cn" } && info.Metadata.TryGetValue("forwarded", out var forwarded) && forwarded == "false")
        {
            return error.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted ? Ending.FailedFast : Ending.Undocumented;
        }

        var fromGateway = error.Status.Detail.StartsWith("region ", StringComparison.Ordinal);
        return (error.StatusCode, info?.Reason) switch
        {
            (StatusCode.Unavailable, "IDEMPOTENCY_STORE_UNAVAILABLE") when sideEffecting => Ending.FailedFast,
            (StatusCode.Aborted, "OUTCOME_UNKNOWN") when sideEffecting => Ending.OutcomeUnknown,
            (StatusCode.Aborted, "REQUEST_IN_PROGRESS") when sideEffecting => Ending.InProgress,
            (StatusCode.AlreadyExists, "REQUEST_ID_REUSED") when sideEffecting => Ending.RequestIdReused,
            (StatusCode.Unavailable, null) when fromGateway => Ending.Unavailable,
            (StatusCode.DeadlineExceeded, null) when fromGateway && !sideEffecting => Ending.GatewayDeadline,
            (StatusCode.DeadlineExceeded, null) when !fromGateway => Ending.CallersOwnDeadline,
            (StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.FailedPrecondition or StatusCode.AlreadyExists
                or StatusCode.PermissionDenied or StatusCode.OutOfRange, _) => Ending.Refused,
            _ => Ending.Undocumented,
        };
    }

    /// <summary>Whether a client is done with the request_id: an answer, or a definite refusal (of the partner or for reuse).</summary>
    public static bool IsDefinite(Ending ending) => ending is Ending.Succeeded or Ending.Refused or Ending.RequestIdReused;

    /// <summary>Whether the ending is one the documents list for the kind of method.</summary>
    public static bool IsDocumented(Ending ending) => ending is not Ending.Undocumented;

    /// <summary>Whether the gateway's answer ended the call (within the caller's deadline), rather than the caller's own deadline.</summary>
    public static bool IsAnsweredByGateway(Ending ending) => ending is not Ending.CallersOwnDeadline;
}
