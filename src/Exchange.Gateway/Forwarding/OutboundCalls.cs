using System.Diagnostics;
using Exchange.Gateway.Configuration;
using Grpc.Core;

namespace Exchange.Gateway.Forwarding;

/// <summary>
/// What an outbound call carries from the inbound one: the caller's deadline less a margin, its cancellation, and
/// only allow-listed metadata (W3C trace context is set afresh by the client span, everything else is dropped).
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
        // With tracing on, the client span is current and the HTTP handler writes its traceparent; with tracing off
        // there is no span, and the caller's trace context passes through unchanged.
        var passTraceContext = Activity.Current is null;
        foreach (var entry in context.RequestHeaders)
        {
            if (_allowed.Contains(entry.Key) || (passTraceContext && entry.Key is "traceparent" or "tracestate"))
            {
                headers ??= [];
                headers.Add(entry);
            }
        }

        return new CallOptions(headers, deadline, context.CancellationToken);
    }

    /// <summary>
    /// The partner's error as the caller should see it: same status and message, and its google.rpc details (so a
    /// partner's BadRequest reaches the caller); no other trailers. A gateway-side deadline is reported as such.
    /// </summary>
    public static RpcException Relay(RpcException error, string regionCode)
    {
        var trailers = new Metadata();
        var details = error.Trailers.Get("grpc-status-details-bin");
        if (details is not null)
        {
            trailers.Add(details);
        }

        var detail = error.StatusCode switch
        {
            StatusCode.Unavailable => $"region {regionCode} is unavailable: {error.Status.Detail}",
            StatusCode.DeadlineExceeded => $"region {regionCode} did not answer within the deadline",
            _ => error.Status.Detail,
        };
        return new RpcException(new Status(error.StatusCode, detail), trailers);
    }
}
