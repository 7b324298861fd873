using Exchange.Contracts.Validation;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;

namespace Exchange.Gateway.Idempotency;

/// <summary>
/// The answers exactly-once treatment adds, each with a google.rpc.ErrorInfo a client can act on. They name the
/// method and the request_id (a message id chosen by the caller, not personal data), never a field of the request.
/// </summary>
internal static class IdempotencyErrors
{
    /// <summary>ErrorInfo reason: the request_id was used before for a different request.</summary>
    public const string RequestIdReused = "REQUEST_ID_REUSED";

    /// <summary>ErrorInfo reason: the forward may or may not have reached the partner.</summary>
    public const string OutcomeUnknown = "OUTCOME_UNKNOWN";

    /// <summary>ErrorInfo reason: another call with the request_id is still being forwarded.</summary>
    public const string RequestInProgress = "REQUEST_IN_PROGRESS";

    /// <summary>ErrorInfo reason: the store could not be consulted, so nothing was forwarded.</summary>
    public const string StoreUnavailable = "IDEMPOTENCY_STORE_UNAVAILABLE";

    /// <summary>What a client does with an unknown outcome (ErrorInfo metadata "resolve").</summary>
    public const string ResolveHint =
        "resend the identical request with the same request_id (the partner answers a repeat with the original result); "
        + "for a settlement, GetSettlement by request_id or ReverseSettlement also resolve it; never retry under a new request_id";

    /// <summary>ALREADY_EXISTS: the same caller used the request_id for a different request of the method.</summary>
    public static Google.Rpc.Status Reused(IdempotencyKey key) => Build(
        Code.AlreadyExists,
        $"request_id {key.RequestId} was already used for a different {key.Method} request; resend the original request unchanged, or choose a new request_id for a new request",
        RequestIdReused,
        key);

    /// <summary>ABORTED: the outcome is unknown; the next identical request resends it under the same request_id.</summary>
    public static Google.Rpc.Status Unknown(IdempotencyKey key, Grpc.Core.StatusCode? cause = null)
    {
        List<(string Key, string Value)> metadata = [("resolve", ResolveHint)];
        if (cause is { } code)
        {
            metadata.Add(("cause", CodeReflection.Descriptor.EnumTypes[0].FindValueByNumber((int)code)?.Name ?? code.ToString()));
        }

        return Build(
            Code.Aborted,
            $"the outcome of {key.Method} with request_id {key.RequestId} is unknown: the partner may or may not have carried it out; {ResolveHint}",
            OutcomeUnknown,
            key,
            [.. metadata]);
    }

    /// <summary>ABORTED: another call with the request_id is still being forwarded and did not end within this caller's deadline.</summary>
    public static Google.Rpc.Status InProgress(IdempotencyKey key) => Build(
        Code.Aborted,
        $"{key.Method} with request_id {key.RequestId} is still being forwarded by an earlier call; resend the identical request with the same request_id to get its answer",
        RequestInProgress,
        key);

    /// <summary>UNAVAILABLE: the store failed before anything was forwarded.</summary>
    public static Google.Rpc.Status StoreFailed(IdempotencyKey key) => Build(
        Code.Unavailable,
        $"{key.Method} was not forwarded: the gateway's idempotency store is unavailable; retry with the same request_id",
        StoreUnavailable,
        key);

    private static Google.Rpc.Status Build(Code code, string message, string reason, IdempotencyKey key, params (string Key, string Value)[] metadata)
    {
        var info = new ErrorInfo { Reason = reason, Domain = PurposeOfUseRule.ErrorDomain };
        info.Metadata["request_id"] = key.RequestId;
        info.Metadata["method"] = key.Method;
        foreach (var (name, value) in metadata)
        {
            info.Metadata[name] = value;
        }

        return new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
    }
}
