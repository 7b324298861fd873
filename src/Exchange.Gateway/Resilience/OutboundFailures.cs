using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;
using Polly.Timeout;

namespace Exchange.Gateway.Resilience;

/// <summary>What a failed attempt says about the partner, and so what may follow it.</summary>
internal enum OutboundFailureKind
{
    /// <summary>No failure of the exchange: an answer, or the caller gave up.</summary>
    None,

    /// <summary>The request provably never reached the partner: any call may be sent again.</summary>
    NotSent,

    /// <summary>UNAVAILABLE after the request may have reached the partner: only a call without side effects may be repeated.</summary>
    Unavailable,

    /// <summary>The attempt timeout ended the attempt: only a call without side effects may be repeated, time allowing.</summary>
    AttemptTimedOut,

    /// <summary>Anything else (a partner's answer, the caller's deadline): final.</summary>
    Final,
}

/// <summary>
/// Sorts failures of outbound calls. gRPC reports them in trailers, with HTTP 200, so they are sorted here by status
/// code where the call is made, not by an HTTP handler (which would count them as successes).
/// </summary>
internal static class OutboundFailures
{
    /// <summary>HTTP/2 REFUSED_STREAM: the partner refused the stream before reading it.</summary>
    internal const long Http2RefusedStream = 0x7;

    /// <summary>The kind of <paramref name="error"/> for retrying and hedging.</summary>
    public static OutboundFailureKind Classify(Exception? error) => error switch
    {
        null or OperationCanceledException => OutboundFailureKind.None,
        RefusedBeforeSendingException => OutboundFailureKind.NotSent,
        AttemptTimedOutException => OutboundFailureKind.AttemptTimedOut,
        RpcException rpc when NeverReachedPeer(rpc) => OutboundFailureKind.NotSent,
        RpcException { StatusCode: StatusCode.Unavailable } => OutboundFailureKind.Unavailable,
        _ => OutboundFailureKind.Final,
    };

    /// <summary>
    /// Whether <paramref name="error"/> is a transport-level failure of the endpoint, as its circuit breaker counts them:
    /// UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN or the attempt timeout; never a partner's business answer.
    /// </summary>
    public static bool IsTransportFailure(Exception? error) => error switch
    {
        TimeoutRejectedException or AttemptTimedOutException => true,
        RefusedBeforeSendingException => false,
        RpcException rpc => rpc.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown,
        _ => false,
    };

    /// <summary>
    /// Whether the request provably never reached the partner: the connection could not be made (refused, unresolved,
    /// TLS handshake failed) or the partner refused the HTTP/2 stream before reading it (REFUSED_STREAM).
    /// </summary>
    public static bool NeverReachedPeer(RpcException error)
    {
        for (var e = error.Status.DebugException; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException socket when socket.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostNotFound
                    or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.AddressNotAvailable:
                case HttpRequestException http when http.HttpRequestError is HttpRequestError.ConnectionError
                    or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError:
                case HttpProtocolException { ErrorCode: Http2RefusedStream }:
                case AuthenticationException:
                    return true;
            }
        }

        return false;
    }
}
