using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Exchange.Gateway.Forwarding;
using Exchange.Gateway.Resilience;
using Exchange.Gateway.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>
/// The gateway's own unary gRPC client against a real HTTP/2 server on loopback that answers each path in one of the
/// ways a partner (or something in front of it) can: the wire protocol both ways, and every failure in the shape the
/// resilience layer and the relay sort by.
/// </summary>
public sealed class RawUnaryCallTests : IAsyncLifetime, IDisposable
{
    private const int MaxResponse = 1024;
    private static readonly byte[] Answer = [8, 1, 18, 3, 97, 98, 99];

    private readonly ConcurrentQueue<SeenRequest> _seen = new();
    private readonly SocketsHttpHandler _handler = new();
    private HttpMessageInvoker _http = null!;
    private WebApplication _partner = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        _partner = builder.Build();
        _partner.Run(AnswerAsync);
        await _partner.StartAsync();
        _address = new Uri(_partner.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        _http = new HttpMessageInvoker(_handler, disposeHandler: false);
    }

    public async Task DisposeAsync() => await _partner.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }

    [Fact]
    public async Task Ok_TheAnswerIsTheMessageBytes_AndThePartnerGotTheFramedRequestDeadlineAndMetadata()
    {
        byte[] request = [10, 6, 51, 49, 48, 48, 48, 48];
        var headers = new Metadata { { "x-request-source", "county" }, { "x-token-bin", new byte[] { 0xff, 0x00, 0x7f } } };
        var deadline = DateTime.UtcNow.AddSeconds(30);

        var answer = await SendAsync("ok", request, new CallOptions(headers, deadline));

        Assert.Equal(Answer, answer);
        var seen = Assert.Single(_seen);
        Assert.Equal("/exchange.test.v1.Test/ok", seen.Path);
        Assert.Equal("HTTP/2", seen.Protocol);
        Assert.Equal("application/grpc", seen.ContentType);
        Assert.Equal("trailers", seen.Te);
        Assert.StartsWith("exchange-gateway", seen.Headers["user-agent"]);
        Assert.Equal([0, 0, 0, 0, (byte)request.Length, .. request], seen.Body);
        Assert.Equal("county", seen.Headers["x-request-source"]);
        Assert.Equal(Convert.ToBase64String([0xff, 0x00, 0x7f]), seen.Headers["x-token-bin"]);
        Assert.EndsWith("m", seen.Headers["grpc-timeout"]);
        var timeout = long.Parse(seen.Headers["grpc-timeout"].TrimEnd('m'));
        Assert.InRange(timeout, 20_000, 30_000);
    }

    [Fact]
    public async Task TrailersOnlyError_StatusAndPercentDecodedMessageFromTheHeaders()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => SendAsync("trailers-only"));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no insured person 100% matching", error.Status.Detail);
    }

    [Fact]
    public async Task ErrorInTrailers_StatusMessageAndBinaryDetailsKept_UnpaddedBase64Decoded()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => SendAsync("error-with-details"));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("invalid request: visit.visit_id must be set", error.Status.Detail);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, error.Trailers.GetValueBytes("grpc-status-details-bin"));
        Assert.Equal("kept", error.Trailers.GetValue("x-partner-note"));
        Assert.Null(error.Trailers.Get("grpc-status"));
    }

    [Theory]
    [InlineData("http-503", StatusCode.Unavailable)]
    [InlineData("http-404", StatusCode.Unimplemented)]
    [InlineData("http-401", StatusCode.Unauthenticated)]
    [InlineData("http-500", StatusCode.Unknown)]
    public async Task NotHttp200_StatusFromTheGrpcMappingOfHttpStatuses(string path, StatusCode expected)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => SendAsync(path));

        Assert.Equal(expected, error.StatusCode);
        Assert.StartsWith("Bad gRPC response. HTTP status code: ", error.Status.Detail);
    }

    [Fact]
    public async Task AnswerLargerThanTheLimit_ResourceExhaustedWordedForTheRelay()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => SendAsync("oversize"));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(RawUnaryCall.OversizeAnswer, error.Status.Detail);
        // The relay tells the caller the exchange may have taken effect, not that its own request was too large.
        var relayed = OutboundCalls.Relay(error, "310000");
        Assert.Equal(StatusCode.Internal, relayed.StatusCode);
        Assert.Contains("larger than the gateway accepts", relayed.Status.Detail);
    }

    [Theory]
    [InlineData("compressed", "compressed message")]
    [InlineData("no-status", "without a gRPC status")]
    [InlineData("two-messages", "more than one message")]
    [InlineData("ok-without-message", "OK without a message")]
    [InlineData("trailers-only-ok", "OK without a message")]
    [InlineData("text-plain", "Invalid content-type")]
    [InlineData("truncated-header", "inside a message header")]
    public async Task BrokenAnswer_Internal_SayingWhatWasWrong(string path, string saying)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => SendAsync(path));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains(saying, error.Status.Detail);
    }

    [Fact]
    public async Task NothingListening_UnavailableWithTheTransportCause_ClassifiedAsNeverReachingThePartner()
    {
        using var closed = new ClosedPort();

        var error = await Assert.ThrowsAsync<RpcException>(() => RawUnaryCall.SendAsync(
            _http, new Uri($"http://127.0.0.1:{closed.Port}/exchange.test.v1.Test/ok"), [1], new CallOptions(), MaxResponse, CancellationToken.None));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.NotNull(error.Status.DebugException);
        Assert.True(OutboundFailures.NeverReachedPeer(error));
        Assert.Equal(OutboundFailureKind.NotSent, OutboundFailures.Classify(error));
    }

    [Fact]
    public async Task ConnectionDropsAfterTheRequestWentOut_UnavailableThatMayHaveReachedThePartner_RelayedAsFailingDuringTheExchange()
    {
        // A bare TCP peer: takes the connection preface, settings and the request's frames, then closes the socket.
        using var dropper = new TcpListener(IPAddress.Loopback, 0);
        dropper.Start();
        var port = ((IPEndPoint)dropper.LocalEndpoint).Port;
        var dropping = Task.Run(async () =>
        {
            using var connection = await dropper.AcceptTcpClientAsync();
            var stream = connection.GetStream();
            var buffer = new byte[4096];
            var received = 0;
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (received < 100)
            {
                var read = await stream.ReadAsync(buffer, patience.Token);
                if (read == 0)
                {
                    break;
                }

                received += read;
            }

            return received;
        });

        var error = await Assert.ThrowsAsync<RpcException>(() => RawUnaryCall.SendAsync(
            _http, new Uri($"http://127.0.0.1:{port}/exchange.test.v1.Test/ok"), new byte[64], new CallOptions(), MaxResponse, CancellationToken.None));

        Assert.True(await dropping >= 100, "the peer received the request's frames before dropping the connection");
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.False(OutboundFailures.NeverReachedPeer(error));
        Assert.Equal(OutboundFailureKind.Unavailable, OutboundFailures.Classify(error));
        Assert.Equal(
            "region 310000 is unavailable: the connection to its endpoint failed during the exchange",
            OutboundCalls.Relay(error, "310000").Status.Detail);
    }

    [Fact]
    public async Task PartnerResetsTheStream_InternalAsTheGrpcSpecMapsInternalError_CountedByTheBreaker()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => SendAsync("abort"));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.IsType<HttpProtocolException>(error.Status.DebugException);
        Assert.True(OutboundFailures.IsTransportFailure(error));
        Assert.Equal(OutboundFailureKind.Final, OutboundFailures.Classify(error));
    }

    [Fact]
    public async Task AttemptCancelledWhileThePartnerThinks_Cancelled()
    {
        using var cancel = new CancellationTokenSource();
        var call = RawUnaryCall.SendAsync(_http, Target("hang"), [1], new CallOptions(), MaxResponse, cancel.Token);
        await Eventually.True(() => _seen.Any(s => s.Path.EndsWith("/hang", StringComparison.Ordinal)), "the partner has the request");
        await cancel.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call);

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task DeadlineAlreadyPassed_DeadlineExceeded_AndNothingIsSent()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => SendAsync("ok", options: new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(-1))));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Empty(_seen);
    }

    [Theory]
    [InlineData(1500.0, "1500m")]
    [InlineData(0.2, "1m")]
    [InlineData(99_999_999.0, "99999999m")]
    [InlineData(200_000_000.0, "200000S")]
    public void TimeoutHeader_AtMostEightDigitsInTheFinestUnitThatFits(double milliseconds, string expected) =>
        Assert.Equal(expected, RawUnaryCall.TimeoutHeader(TimeSpan.FromMilliseconds(milliseconds)));

    private static byte[] Frame(byte flag, byte[] message) => [flag, .. BigEndian((uint)message.Length), .. message];

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private Uri Target(string path) => new(_address, $"/exchange.test.v1.Test/{path}");

    private Task<byte[]> SendAsync(string path, byte[]? request = null, CallOptions options = default) =>
        RawUnaryCall.SendAsync(_http, Target(path), request ?? [1], options, MaxResponse, CancellationToken.None);

    private async Task AnswerAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var request = context.Request;
        _seen.Enqueue(new SeenRequest(
            request.Path.Value!,
            request.Protocol,
            request.ContentType,
            request.Headers.TE.ToString(),
            body.ToArray(),
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));

        var response = context.Response;
        var scenario = request.Path.Value![(request.Path.Value!.LastIndexOf('/') + 1)..];
        if (scenario.StartsWith("http-", StringComparison.Ordinal))
        {
            response.StatusCode = int.Parse(scenario["http-".Length..]);
            return;
        }

        response.ContentType = scenario == "text-plain" ? "text/plain" : "application/grpc";
        switch (scenario)
        {
            case "ok":
                await response.Body.WriteAsync(Frame(0, Answer));
                response.AppendTrailer("grpc-status", "0");
                break;
            case "trailers-only-ok":
                response.Headers["grpc-status"] = "0";
                break;
            case "trailers-only":
                response.Headers["grpc-status"] = "5";
                response.Headers["grpc-message"] = "no insured person 100%25 matching";
                break;
            case "error-with-details":
                response.AppendTrailer("grpc-status", "3");
                response.AppendTrailer("grpc-message", "invalid request: visit.visit_id must be set");
                response.AppendTrailer("grpc-status-details-bin", Convert.ToBase64String([1, 2, 3, 4]).TrimEnd('='));
                response.AppendTrailer("x-partner-note", "kept");
                break;
            case "oversize":
                await response.Body.WriteAsync(Frame(0, new byte[MaxResponse + 1]));
                response.AppendTrailer("grpc-status", "0");
                break;
            case "compressed":
                await response.Body.WriteAsync(Frame(1, Answer));
                response.AppendTrailer("grpc-status", "0");
                break;
            case "no-status":
                await response.Body.WriteAsync(Frame(0, Answer));
                break;
            case "two-messages":
                await response.Body.WriteAsync(Frame(0, Answer));
                await response.Body.WriteAsync(Frame(0, Answer));
                response.AppendTrailer("grpc-status", "0");
                break;
            case "ok-without-message":
            case "text-plain":
                response.AppendTrailer("grpc-status", "0");
                break;
            case "truncated-header":
                await response.Body.WriteAsync(new byte[] { 0, 0 });
                response.AppendTrailer("grpc-status", "0");
                break;
            case "abort":
                await response.Body.FlushAsync();
                context.Abort();
                break;
            case "hang":
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                break;
        }
    }

    private sealed record SeenRequest(string Path, string Protocol, string? ContentType, string Te, byte[] Body, Dictionary<string, string> Headers);
}
