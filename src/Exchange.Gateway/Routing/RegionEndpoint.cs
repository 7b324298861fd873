using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;

namespace Exchange.Gateway.Routing;

/// <summary>
/// One address serving a region, with its long-lived HTTP/2 handler (connections are reused across calls): unary
/// calls go straight over it (<see cref="Forwarding.RawUnaryCall"/>), streaming calls through a gRPC channel on the
/// same handler.
/// </summary>
internal sealed class RegionEndpoint : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly ConcurrentDictionary<string, Uri> _targets = new(StringComparer.Ordinal);

    /// <summary>An endpoint of <paramref name="regionCode"/> at <paramref name="address"/> over <paramref name="handler"/>, which it owns.</summary>
    public RegionEndpoint(string regionCode, Uri address, HttpMessageHandler handler, int maxRequestBytes, int maxResponseBytes)
    {
        RegionCode = regionCode;
        Address = address;
        MaxResponseBytes = maxResponseBytes;
        Http = new HttpMessageInvoker(handler, disposeHandler: false);
        // Given as an HttpClient (no timeout of its own: deadlines are the calls'), the channel skips Grpc.Net.Client's
        // client-side load balancer, which would wrap every connection and pick a subchannel on every call; endpoint
        // choice, health and retries are the resilience layer's here.
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpClient = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan },
            MaxReceiveMessageSize = maxResponseBytes,
            MaxSendMessageSize = maxRequestBytes,
            DisposeHttpClient = true,
        });
        Invoker = _channel.CreateCallInvoker();
    }

    /// <summary>The region it serves.</summary>
    public string RegionCode { get; }

    /// <summary>Its address.</summary>
    public Uri Address { get; }

    /// <summary>The HTTP/2 handler, for unary calls.</summary>
    public HttpMessageInvoker Http { get; }

    /// <summary>The largest answer accepted from it.</summary>
    public int MaxResponseBytes { get; }

    /// <summary>The invoker for raw-byte streaming calls.</summary>
    public CallInvoker Invoker { get; }

    /// <summary>
    /// The URL of a method (its path, "/package.Service/Method") at this endpoint, under the address's own path as
    /// Grpc.Net.Client would place it; one instance per method.
    /// </summary>
    public Uri TargetOf(string methodPath) =>
        _targets.GetOrAdd(methodPath, static (path, address) => new Uri(address.AbsoluteUri.TrimEnd('/') + path), Address);

    /// <inheritdoc />
    public void Dispose()
    {
        Http.Dispose();
        _channel.Dispose();
    }
}
