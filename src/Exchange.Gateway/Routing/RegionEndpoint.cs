using Grpc.Core;
using Grpc.Net.Client;

namespace Exchange.Gateway.Routing;

/// <summary>One address serving a region, with its long-lived channel (HTTP/2 connections are reused across calls).</summary>
internal sealed class RegionEndpoint(string regionCode, Uri address, GrpcChannel channel) : IDisposable
{
    /// <summary>The region it serves.</summary>
    public string RegionCode { get; } = regionCode;

    /// <summary>Its address.</summary>
    public Uri Address { get; } = address;

    /// <summary>The invoker for raw-byte calls.</summary>
    public CallInvoker Invoker { get; } = channel.CreateCallInvoker();

    /// <inheritdoc />
    public void Dispose() => channel.Dispose();
}
