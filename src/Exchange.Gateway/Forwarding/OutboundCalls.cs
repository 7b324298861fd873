using System.Diagnostics;
using Exchange.Gateway.Configuration;
using Grpc.Core;

namespace Exchange.Gateway.Forwarding;

/// <summary>
/// What an outbound call carries from the inbound one: the caller's deadline less a margin, its cancellation, and
/// only allow-listed metadata (W3C trace context is set afresh from the client span, everything else is dropped).
/// </summary>
internal sealed class OutboundCalls(GatewayOptions options, TimeProvider time)
{
    private readonly HashSet<string> _allowed = new(options.MetadataAllowList.Select(h => h.ToLowerInvariant()), StringComparer.Ordinal);

    /// <summary>Call options for a partner call made on behalf of <paramref name="context"/>.</summary>
    /// <exception cref="RpcException">DEADLINE_EXCEEDED when the caller's deadline leaves no time to forward.</exception>
    public CallOptions For(ServerCallContext context)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var deadline = now + options.Outbound.DefaultTimeout;
        if (context.Deadline != DateTime.MaxValue)
        {
            var callerDeadline = context.Deadline.ToUniversalTime() - options.Outbound.DeadlineMargin;
            if (callerDeadline <= now)
            {
                throw new RpcException(new Status(StatusCode.DeadlineExceeded, "the caller's deadline leaves no time to forward the exchange"));
            }

            deadline = callerDeadline < deadline ? callerDeadline : deadline;
        }

        Metadata? headers = null;
        // The caller's trace context passes through as received unless a client span replaces it (WithTraceContext).
        foreach (var entry in context.RequestHeaders)
        {
            if (_allowed.Contains(entry.Key) || IsTraceContext(entry.Key))
            {
                headers ??= [];
                headers.Add(entry);
            }
        }

        return new CallOptions(headers, deadline, context.CancellationToken);
    }

    /// <summary>
    /// <paramref name="options"/> with W3C trace context naming <paramref name="span"/> as the partner's parent, so the
    /// partner's spans hang under the gateway's client span; unchanged when there is no span (tracing off). The HTTP
    /// handler writes no trace context of its own (RouteTableFactory): it would name an activity nobody exports.
    /// </summary>
    public static CallOptions WithTraceContext(CallOptions options, Activity? span)
    {
        if (span is null || span.IdFormat != ActivityIdFormat.W3C)
        {
            return options;
        }

        var headers = new Metadata();
        foreach (var entry in options.Headers ?? [])
        {
            if (!IsTraceContext(entry.Key))
            {
                headers.Add(entry);
            }
        }

        var flags = (span.ActivityTraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
        headers.Add("traceparent", $"00-{span.TraceId.ToHexString()}-{span.SpanId.ToHexString()}-{flags}");
        if (!string.IsNullOrEmpty(span.TraceStateString))
        {
            headers.Add("tracestate", span.TraceStateString);
        }

        return options.WithHeaders(headers);
    }

    private static bool IsTraceContext(string key) => key is "traceparent" or "tracestate";

    /// <summary>
    /// The partner's error as the caller should see it: same status and message, and its google.rpc details (so a
    /// partner's BadRequest reaches the caller); no other trailers. A gateway-side deadline is reported as such.
    /// The debug exception (the transport cause) is kept for the gateway's own classification; gRPC never sends it.
    /// </summary>
    public static RpcException Relay(RpcException error, string regionCode)
    {
        var trailers = new Metadata();
        var details = error.Trailers.Get("grpc-status-details-bin");
        if (details is not null)
        {
            trailers.Add(details);
        }

        if (IsOversizeAnswer(error))
        {
            // The partner answered, so the exchange may have taken effect: this must not read like the caller's own
            // oversize request (RESOURCE_EXHAUSTED), which was refused before anything happened.
            return new RpcException(new Status(
                StatusCode.Internal,
                $"region {regionCode} answered with a message larger than the gateway accepts; the exchange may have taken effect"));
        }

        var detail = error.StatusCode switch
        {
            // The gateway's own client failed (its message names the partner's internal address and socket errors,
            // which are not the caller's business): say what it means instead.
            StatusCode.Unavailable when error.Status.DebugException is not null => Resilience.OutboundFailures.NeverReachedPeer(error)
                ? $"region {regionCode} is unavailable: its endpoint could not be reached, and nothing was sent"
                : $"region {regionCode} is unavailable: the connection to its endpoint failed during the exchange",
            StatusCode.Unavailable => $"region {regionCode} is unavailable: {error.Status.Detail}",
            StatusCode.DeadlineExceeded => $"region {regionCode} did not answer within the deadline",
            _ => error.Status.Detail,
        };
        // The transport cause (never sent to the caller) stays attached, so the exactly-once policy can tell a request
        // that never reached the partner (connection refused) from one whose outcome is unknown.
        return new RpcException(new Status(error.StatusCode, detail, error.Status.DebugException), trailers);
    }

    /// <summary>
    /// True when the gateway's own client refused a partner's answer for its size (Grpc.Net.Client reports that as a
    /// local RESOURCE_EXHAUSTED with this message; a partner's own RESOURCE_EXHAUSTED says something else).
    /// </summary>
    private static bool IsOversizeAnswer(RpcException error) =>
        error.StatusCode == StatusCode.ResourceExhausted
        && error.Status.Detail.StartsWith("Received message exceeds the maximum configured message size", StringComparison.Ordinal);
}
