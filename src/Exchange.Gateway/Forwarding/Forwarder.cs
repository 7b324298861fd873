using Exchange.Gateway.Contracts;
using Exchange.Gateway.Routing;
using Exchange.Gateway.Security;
using Exchange.Gateway.Telemetry;
using Grpc.Core;

namespace Exchange.Gateway.Forwarding;

/// <summary>Sends an admitted exchange to the endpoint of its region, as raw bytes, and relays the answer.</summary>
internal sealed class Forwarder(RouteTable routes, OutboundCalls calls)
{
    /// <summary>The route for a region code; NOT_FOUND naming the code when there is none.</summary>
    public RegionRoute RouteFor(string regionCode) => routes.Resolve(regionCode) ?? throw Rejections.NoRoute(regionCode);

    /// <summary>Forwards a unary exchange.</summary>
    public async Task<byte[]> UnaryAsync(MethodPlan plan, RegionRoute route, byte[] request, ServerCallContext context)
    {
        var options = calls.For(context);
        var endpoint = route.NextEndpoint();
        using var span = GatewayTelemetry.StartOutbound(plan, route.Code, endpoint.Address);
        options = OutboundCalls.WithTraceContext(options, span.Activity);
        try
        {
            return await endpoint.Invoker.AsyncUnaryCall(RawBytes.MethodOf(plan), null, options, request).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            span.Fail(e.StatusCode);
            throw OutboundCalls.Relay(e, route.Code);
        }
    }

    /// <summary>Forwards a server-streaming exchange, passing each response through <paramref name="transform"/>.</summary>
    public async Task ServerStreamingAsync(
        MethodPlan plan, RegionRoute route, byte[] request, IServerStreamWriter<byte[]> responses, ServerCallContext context, Func<byte[], byte[]> transform)
    {
        var options = calls.For(context);
        var endpoint = route.NextEndpoint();
        using var span = GatewayTelemetry.StartOutbound(plan, route.Code, endpoint.Address);
        options = OutboundCalls.WithTraceContext(options, span.Activity);
        try
        {
            using var call = endpoint.Invoker.AsyncServerStreamingCall(RawBytes.MethodOf(plan), null, options, request);
            await foreach (var response in call.ResponseStream.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                await responses.WriteAsync(transform(response), context.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (RpcException e)
        {
            span.Fail(e.StatusCode);
            throw OutboundCalls.Relay(e, route.Code);
        }
    }

    /// <summary>Forwards a client-streaming exchange: the first request (already admitted), then every later one through <paramref name="admit"/>.</summary>
    public async Task<byte[]> ClientStreamingAsync(
        MethodPlan plan, RegionRoute route, byte[] first, IAsyncStreamReader<byte[]> requests, ServerCallContext context, Action<byte[]> admit)
    {
        var options = calls.For(context);
        var endpoint = route.NextEndpoint();
        using var span = GatewayTelemetry.StartOutbound(plan, route.Code, endpoint.Address);
        options = OutboundCalls.WithTraceContext(options, span.Activity);
        try
        {
            using var call = endpoint.Invoker.AsyncClientStreamingCall(RawBytes.MethodOf(plan), null, options);
            await call.RequestStream.WriteAsync(first, context.CancellationToken).ConfigureAwait(false);
            while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                admit(requests.Current);
                await call.RequestStream.WriteAsync(requests.Current, context.CancellationToken).ConfigureAwait(false);
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            return await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            span.Fail(e.StatusCode);
            throw OutboundCalls.Relay(e, route.Code);
        }
    }
}
