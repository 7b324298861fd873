using Google.Rpc;
using Grpc.Core;

namespace Exchange.Gateway.Idempotency;

/// <summary>What a failed forward says about whether the partner carried the request out.</summary>
internal enum ForwardFailureKind
{
    /// <summary>The partner answered with a definite error: final, recorded and given to every duplicate.</summary>
    Definite,

    /// <summary>The request provably never reached the partner (or was refused before it was carried out): a retry may forward it again.</summary>
    NotForwarded,

    /// <summary>The request may or may not have been carried out.</summary>
    Unknown,
}

/// <summary>
/// Sorts failed forwards for exactly-once treatment. Only what proves the request was not carried out counts as
/// <see cref="ForwardFailureKind.NotForwarded"/>; everything that does not prove either is
/// <see cref="ForwardFailureKind.Unknown"/>, which is always safe: it is resolved by resending the same request_id.
/// </summary>
internal static class ForwardFailure
{
    /// <summary>
    /// ErrorInfo metadata key by which a gateway-side refusal inside the forward path (an open circuit breaker, a full
    /// bulkhead, a rate limit) says that nothing was sent: <c>"forwarded": "false"</c>.
    /// </summary>
    public const string ForwardedMetadataKey = "forwarded";

    /// <summary>Sorts <paramref name="error"/>.</summary>
    public static ForwardFailureKind Classify(RpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = error.GetRpcStatus();
        var info = status?.GetDetail<ErrorInfo>();
        if (info is not null && (info.Reason == "NO_ROUTE" || (info.Metadata.TryGetValue(ForwardedMetadataKey, out var forwarded) && forwarded == "false")))
        {
            return ForwardFailureKind.NotForwarded;
        }

        // The connection failed or the partner refused the stream: the same test decides whether a retry is safe.
        if (Resilience.OutboundFailures.NeverReachedPeer(error))
        {
            return ForwardFailureKind.NotForwarded;
        }

        return error.StatusCode switch
        {
            StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.FailedPrecondition or StatusCode.AlreadyExists
                or StatusCode.PermissionDenied or StatusCode.OutOfRange => ForwardFailureKind.Definite,

            // Refused before being carried out: the partner does not know the caller or the method.
            StatusCode.Unauthenticated or StatusCode.Unimplemented => ForwardFailureKind.NotForwarded,

            // A quota refusal says when to retry; without RetryInfo it may be a too-large response to a request that was carried out.
            StatusCode.ResourceExhausted when status?.GetDetail<RetryInfo>() is not null => ForwardFailureKind.NotForwarded,

            _ => ForwardFailureKind.Unknown,
        };
    }
}
