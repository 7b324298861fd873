using System.Globalization;
using Exchange.Contracts.Validation;
using Exchange.Gateway.Idempotency;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Exchange.Gateway.Resilience;

/// <summary>
/// The answers of the gateway's resilience, each with a google.rpc.ErrorInfo a client can act on (and RetryInfo where
/// the gateway knows when to retry). None was sent to a partner: every one carries ErrorInfo metadata
/// <c>forwarded</c> = <c>false</c>. They name regions, endpoint addresses and participant ids, never a request field.
/// </summary>
internal static class ResilienceRejections
{
    /// <summary>ErrorInfo reason: the endpoint's circuit breaker is open.</summary>
    public const string CircuitOpen = "CIRCUIT_OPEN";

    /// <summary>ErrorInfo reason: the region's bulkhead is full.</summary>
    public const string RegionSaturated = "REGION_SATURATED";

    /// <summary>ErrorInfo reason: the caller exceeded its rate limit.</summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>UNAVAILABLE: every usable endpoint of the region has its breaker open; nothing was sent.</summary>
    public static RefusedBeforeSendingException EndpointCircuitOpen(string regionCode, Uri endpoint) => Build(
        Code.Unavailable,
        $"region {regionCode} is failing at {endpoint}: the gateway's circuit breaker is open and the exchange was not sent; retry after a backoff",
        CircuitOpen,
        ("region", regionCode),
        ("endpoint", endpoint.ToString()));

    /// <summary>UNAVAILABLE: the region's bulkhead has no permit and no queue place left; nothing was sent.</summary>
    public static RefusedBeforeSendingException Saturated(string regionCode) => Build(
        Code.Unavailable,
        $"region {regionCode} already has as many exchanges in flight and waiting as the gateway allows; the exchange was not sent; retry after a backoff",
        RegionSaturated,
        ("region", regionCode));

    /// <summary>DEADLINE_EXCEEDED: the exchange waited for a permit of the region's bulkhead until its deadline; nothing was sent.</summary>
    public static RefusedBeforeSendingException SaturatedUntilDeadline(string regionCode) => Build(
        Code.DeadlineExceeded,
        $"region {regionCode} had no capacity free within the deadline; the exchange was not sent",
        RegionSaturated,
        ("region", regionCode));

    /// <summary>RESOURCE_EXHAUSTED with RetryInfo: the caller used up its rate limit; nothing was forwarded.</summary>
    public static RefusedBeforeSendingException ParticipantRateLimited(string participantId, TimeSpan retryAfter)
    {
        var seconds = Math.Max(0.001, retryAfter.TotalSeconds).ToString("0.###", CultureInfo.InvariantCulture);
        return Build(
            Code.ResourceExhausted,
            $"participant '{participantId}' exceeded its rate limit; the exchange was not forwarded; retry after {seconds} s",
            RateLimited,
            [("participant", participantId)],
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) });
    }

    private static RefusedBeforeSendingException Build(Code code, string message, string reason, params (string Key, string Value)[] metadata) =>
        Build(code, message, reason, metadata, retry: null);

    private static RefusedBeforeSendingException Build(Code code, string message, string reason, (string Key, string Value)[] metadata, RetryInfo? retry)
    {
        var info = new ErrorInfo { Reason = reason, Domain = PurposeOfUseRule.ErrorDomain };
        foreach (var (key, value) in metadata)
        {
            info.Metadata[key] = value;
        }

        info.Metadata[ForwardFailure.ForwardedMetadataKey] = "false";
        var status = new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        if (retry is not null)
        {
            status.Details.Add(Any.Pack(retry));
        }

        var error = status.ToRpcException();
        return new RefusedBeforeSendingException(error.Status, error.Trailers);
    }
}
