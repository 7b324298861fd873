using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using Grpc.Core;

namespace Exchange.Gateway.Forwarding;

/// <summary>
/// One unary gRPC call to a partner, sent as the protobuf bytes the caller sent, straight over the endpoint's HTTP/2
/// handler (the gRPC over HTTP/2 wire protocol: a length-prefixed message, status in the trailers).
/// </summary>
/// <remarks>
/// Unary exchanges are the gateway's hot path. Grpc.Net.Client would wrap each in a call object, a serialization
/// context, a deadline timer, a linked cancellation source and several state machines, which cost about a fifth of the
/// gateway's CPU per exchange (measured: issue 6). The gateway needs none of it here: the bytes are already
/// serialized, the call's deadline is enforced by the resilience layer (its <c>CallDeadline</c> cancels the attempt),
/// and the partner learns it from grpc-timeout. Failures keep Grpc.Net.Client's shapes — UNAVAILABLE with the
/// transport cause as debug exception, the partner's status, message and trailers as sent, the oversize answer's
/// RESOURCE_EXHAUSTED — because the resilience layer and the relay sort failures by them. Streaming calls still go
/// through Grpc.Net.Client.
/// </remarks>
internal static class RawUnaryCall
{
    /// <summary>The status detail of an answer over the size limit, as Grpc.Net.Client words it (the relay looks for it).</summary>
    public const string OversizeAnswer = "Received message exceeds the maximum configured message size.";

    /// <summary>How the gateway names itself to partners (gRPC's convention: the stack, then details).</summary>
    private const string UserAgent = "exchange-gateway (raw-bytes unary; .NET)";

    private const int FrameHeaderSize = 5;
    private const long Http2Cancel = 0x8;
    private const long Http2EnhanceYourCalm = 0xb;
    private const long Http2InadequateSecurity = 0xc;

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> and returns the partner's answer.</summary>
    /// <param name="http">The endpoint's HTTP/2 handler.</param>
    /// <param name="target">The method's URL at the endpoint.</param>
    /// <param name="message">The request, protobuf bytes.</param>
    /// <param name="options">Deadline (sent as grpc-timeout) and headers; its cancellation is not used.</param>
    /// <param name="maxResponseBytes">The largest answer accepted.</param>
    /// <param name="cancellationToken">Ends the attempt (the pipeline's timeouts, a winning hedge, the caller).</param>
    /// <exception cref="RpcException">The partner's status, or the gateway's account of a transport failure.</exception>
    public static async Task<byte[]> SendAsync(
        HttpMessageInvoker http, Uri target, byte[] message, CallOptions options, int maxResponseBytes, CancellationToken cancellationToken)
    {
        using var request = Request(target, message, options);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Failed(e, "Error starting gRPC call", cancellationToken);
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new RpcException(new Status(FromHttpStatus(response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}"));
            }

            // Trailers-only: the status came with the headers and there is no message (so OK there is no answer).
            if (FirstValue(response.Headers, "grpc-status") is { } headerStatus)
            {
                throw headerStatus == "0" ? NoMessage() : StatusOf(headerStatus, response.Headers, trailers: response.Headers);
            }

            var contentType = response.Content.Headers.TryGetValues("content-type", out var types) ? types.FirstOrDefault() : null;
            if (contentType is null || !contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
            {
                throw new RpcException(new Status(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {contentType}"));
            }

            byte[]? answer;
            try
            {
                answer = await ReadSingleMessageAsync(response.Content, maxResponseBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not RpcException)
            {
                throw Failed(e, "Error reading the response", cancellationToken);
            }

            if (FirstValue(response.TrailingHeaders, "grpc-status") is not { } status)
            {
                throw new RpcException(new Status(StatusCode.Internal, "the partner's answer ended without a gRPC status"));
            }

            if (status != "0")
            {
                throw StatusOf(status, response.TrailingHeaders, response.TrailingHeaders);
            }

            return answer ?? throw NoMessage();
        }
    }

    /// <summary>The value of the grpc-timeout header for <paramref name="left"/> (at most 8 digits, in the finest unit that fits).</summary>
    internal static string TimeoutHeader(TimeSpan left)
    {
        const long MostDigits = 99_999_999;
        var milliseconds = Math.Max(1, (long)Math.Ceiling(left.TotalMilliseconds));
        if (milliseconds <= MostDigits)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{milliseconds}m");
        }

        var seconds = (long)Math.Ceiling(left.TotalSeconds);
        if (seconds <= MostDigits)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{seconds}S");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Math.Min(MostDigits, (long)Math.Ceiling(left.TotalHours))}H");
    }

    private static HttpRequestMessage Request(Uri target, byte[] message, CallOptions options)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new FramedMessage(message),
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation("te", "trailers");
        headers.TryAddWithoutValidation("user-agent", UserAgent);
        // Only identity is offered, so a partner never compresses what the gateway would have to inflate.
        headers.TryAddWithoutValidation("grpc-accept-encoding", "identity");
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var left = deadline.ToUniversalTime() - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                request.Dispose();
                throw new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
            }

            headers.TryAddWithoutValidation("grpc-timeout", TimeoutHeader(left));
        }

        foreach (var entry in options.Headers ?? [])
        {
            headers.TryAddWithoutValidation(entry.Key, entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value);
        }

        return request;
    }

    private static async Task<byte[]?> ReadSingleMessageAsync(HttpContent content, int maxResponseBytes, CancellationToken cancellationToken)
    {
        var body = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var header = new byte[FrameHeaderSize];
            var read = await body.ReadAtLeastAsync(header, FrameHeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            if (read < FrameHeaderSize)
            {
                throw new RpcException(new Status(StatusCode.Internal, "the partner's answer ended inside a message header"));
            }

            if (header[0] != 0)
            {
                throw new RpcException(new Status(StatusCode.Internal, "the partner sent a compressed message, which the gateway did not offer to accept"));
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
            if (length > (uint)maxResponseBytes)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, OversizeAnswer));
            }

            var message = new byte[length];
            await body.ReadExactlyAsync(message, cancellationToken).ConfigureAwait(false);
            if (await body.ReadAsync(header.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) != 0)
            {
                throw new RpcException(new Status(StatusCode.Internal, "the partner answered a unary call with more than one message"));
            }

            return message;
        }
    }

    private static RpcException NoMessage() => new(new Status(StatusCode.Internal, "the partner answered OK without a message"));

    /// <summary>A failure of the transport (or the attempt's end), in the shapes Grpc.Net.Client gives them.</summary>
    private static RpcException Failed(Exception error, string doing, CancellationToken cancellationToken)
    {
        if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return new RpcException(new Status(StatusCode.Cancelled, "the attempt was cancelled", error));
        }

        var code = error switch
        {
            HttpProtocolException { ErrorCode: Http2Cancel } => StatusCode.Cancelled,
            HttpProtocolException { ErrorCode: Http2EnhanceYourCalm } => StatusCode.ResourceExhausted,
            HttpProtocolException { ErrorCode: Http2InadequateSecurity } => StatusCode.PermissionDenied,
            HttpProtocolException { ErrorCode: Resilience.OutboundFailures.Http2RefusedStream } => StatusCode.Unavailable,
            HttpProtocolException => StatusCode.Internal,
            HttpRequestException or IOException or AuthenticationException or OperationCanceledException => StatusCode.Unavailable,
            _ => StatusCode.Internal,
        };
        return new RpcException(new Status(code, $"{doing}. {error.GetType().Name}: {error.Message}", error));
    }

    private static RpcException StatusOf(string status, HttpHeaders messageSource, HttpHeaders trailers)
    {
        var code = int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 16
            ? (StatusCode)value
            : StatusCode.Unknown;
        var detail = FirstValue(messageSource, "grpc-message") is { } encoded ? Uri.UnescapeDataString(encoded) : string.Empty;
        return new RpcException(new Status(code, detail), MetadataOf(trailers));
    }

    private static Metadata MetadataOf(HttpHeaders trailers)
    {
        var metadata = new Metadata();
        foreach (var (key, values) in trailers.NonValidated)
        {
            if (key is "grpc-status" or "grpc-message" || key.StartsWith(':'))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (key.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.Ordinal))
                {
                    if (FromBase64(value) is { } bytes)
                    {
                        metadata.Add(key, bytes);
                    }
                }
                else
                {
                    metadata.Add(key, value);
                }
            }
        }

        return metadata;
    }

    /// <summary>Binary metadata is base64, padded or not (the gRPC spec allows both).</summary>
    private static byte[]? FromBase64(string value)
    {
        var padded = (value.Length % 4) switch
        {
            2 => value + "==",
            3 => value + "=",
            _ => value,
        };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? FirstValue(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) && values.Count > 0 ? values.First() : null;

    /// <summary>The gRPC status of an HTTP answer that is not 200 (the gRPC spec's mapping).</summary>
    private static StatusCode FromHttpStatus(HttpStatusCode status) => (int)status switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>The request body: one gRPC message (uncompressed flag, big-endian length, the bytes), written in one DATA frame.</summary>
    private sealed class FramedMessage : HttpContent
    {
        private readonly byte[] _framed;

        public FramedMessage(byte[] message)
        {
            _framed = new byte[FrameHeaderSize + message.Length];
            BinaryPrimitives.WriteUInt32BigEndian(_framed.AsSpan(1), (uint)message.Length);
            message.CopyTo(_framed, FrameHeaderSize);
            Headers.TryAddWithoutValidation("content-type", "application/grpc");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            stream.WriteAsync(_framed).AsTask();

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            stream.WriteAsync(_framed, cancellationToken).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = _framed.Length;
            return true;
        }
    }
}
