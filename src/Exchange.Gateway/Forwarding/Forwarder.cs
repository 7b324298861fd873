using Exchange.Gateway.Contracts;
using Exchange.Gateway.Resilience;
using Exchange.Gateway.Routing;
using Exchange.Gateway.Security;
using Exchange.Gateway.Telemetry;
using Grpc.Core;

namespace Exchange.Gateway.Forwarding;

/// <summary>
/// Sends an admitted exchange to its region, as raw bytes, through the region's resilience pipeline, and relays the
/// answer. The caller's rate limit is taken first; each attempt has its own client span. The exchange's audit record
/// gets the attempts, the first attempt's time and the endpoint that answered.
/// </summary>
internal sealed class Forwarder(RouteTable routes, OutboundCalls calls, OutboundResilience resilience, ParticipantRateLimiter rateLimit, CallerIdentity identity)
{
    /// <summary>The route for a region code; NOT_FOUND naming the code when there is none.</summary>
    public RegionRoute RouteFor(string regionCode) => routes.Resolve(regionCode) ?? throw Rejections.NoRoute(regionCode);

    /// <summary>Forwards a unary exchange.</summary>
    public async Task<byte[]> UnaryAsync(MethodPlan plan, RegionRoute route, byte[] request, ServerCallContext context, ExchangeAudit audit)
    {
        audit.ForwardStarted = true;
        rateLimit.Admit(identity.Resolve(context).Id);
        var call = new OutboundCall(plan, calls.For(context));
        try
        {
            return await resilience.For(route).ExecuteUnaryAsync(call, SendUnaryAsync, (plan, route.Code, request)).ConfigureAwait(false);
        }
        catch (RpcException e) when (IsPartners(e))
        {
            throw OutboundCalls.Relay(e, route.Code);
        }
        finally
        {
            audit.Sent(call);
        }
    }

    /// <summary>Forwards a server-streaming exchange, passing each response through <paramref name="transform"/>.</summary>
    public async Task ServerStreamingAsync(
        MethodPlan plan, RegionRoute route, byte[] request, IServerStreamWriter<byte[]> responses, ServerCallContext context, Func<byte[], byte[]> transform, ExchangeAudit audit)
    {
        audit.ForwardStarted = true;
        rateLimit.Admit(identity.Resolve(context).Id);
        var call = new OutboundCall(plan, calls.For(context));
        try
        {
            await resilience.For(route).ExecuteStreamingAsync(
                call, OpenServerStreamAsync, RelayServerStreamAsync, (Plan: plan, Region: route.Code, Request: request, Responses: responses, Context: context, Transform: transform)).ConfigureAwait(false);
        }
        catch (RpcException e) when (IsPartners(e))
        {
            throw OutboundCalls.Relay(e, route.Code);
        }
        finally
        {
            audit.Sent(call);
        }
    }

    /// <summary>Forwards a client-streaming exchange: the first request (already admitted), then every later one through <paramref name="admit"/>.</summary>
    public async Task<byte[]> ClientStreamingAsync(
        MethodPlan plan, RegionRoute route, byte[] first, IAsyncStreamReader<byte[]> requests, ServerCallContext context, Action<byte[]> admit, ExchangeAudit audit)
    {
        audit.ForwardStarted = true;
        rateLimit.Admit(identity.Resolve(context).Id);
        var call = new OutboundCall(plan, calls.For(context));
        try
        {
            // The caller's stream is read once, as it is forwarded: a client-streaming call is never repeated.
            return await resilience.For(route).ExecuteOnceAsync(
                call, SendClientStreamAsync, (Plan: plan, Region: route.Code, First: first, Requests: requests, Context: context, Admit: admit)).ConfigureAwait(false);
        }
        catch (RpcException e) when (IsPartners(e))
        {
            throw OutboundCalls.Relay(e, route.Code);
        }
        finally
        {
            audit.Sent(call);
        }
    }

    /// <summary>One attempt of a unary exchange on the endpoint the pipeline chose: its own client span and trace context.</summary>
    internal static async Task<byte[]> SendUnaryAsync(EndpointAttempt attempt, (MethodPlan Plan, string Region, byte[] Request) state)
    {
        using var span = GatewayTelemetry.StartOutbound(state.Plan, state.Region, attempt.Endpoint.Address);
        // The attempt's own cancellation ends the call; the options carry the deadline and headers.
        var options = OutboundCalls.WithTraceContext(attempt.Options, span.Activity);
        try
        {
            var endpoint = attempt.Endpoint;
            return await RawUnaryCall.SendAsync(
                endpoint.Http, endpoint.TargetOf(state.Plan.Path), state.Request, options, endpoint.MaxResponseBytes, attempt.AttemptCancellation).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            span.Fail(e.StatusCode);
            throw;
        }
    }

    /// <summary>The gateway's own answers (refusals, an attempt timeout) reach the caller as they are; the partner's are relayed.</summary>
    private static bool IsPartners(RpcException error) => error is not (RefusedBeforeSendingException or AttemptTimedOutException);

    private static async Task<OpenedStream> OpenServerStreamAsync(
        EndpointAttempt attempt,
        (MethodPlan Plan, string Region, byte[] Request, IServerStreamWriter<byte[]> Responses, ServerCallContext Context, Func<byte[], byte[]> Transform) state)
    {
        var span = GatewayTelemetry.StartOutbound(state.Plan, state.Region, attempt.Endpoint.Address);
        AsyncServerStreamingCall<byte[]>? call = null;
        try
        {
            // The call lives beyond this attempt (its deadline and the caller's cancellation end it); the attempt's
            // own cancellation bounds only the wait for the first message.
            call = attempt.Endpoint.Invoker.AsyncServerStreamingCall(
                RawBytes.MethodOf(state.Plan), null, OutboundCalls.WithTraceContext(attempt.Options, span.Activity), state.Request);
            var hasFirst = await call.ResponseStream.MoveNext(attempt.AttemptCancellation).ConfigureAwait(false);
            return new OpenedStream(call, span, hasFirst);
        }
        catch (Exception e)
        {
            if (e is RpcException rpc)
            {
                span.Fail(rpc.StatusCode);
            }

            call?.Dispose();
            span.Dispose();
            throw;
        }
    }

    private static async Task RelayServerStreamAsync(
        OpenedStream opened,
        (MethodPlan Plan, string Region, byte[] Request, IServerStreamWriter<byte[]> Responses, ServerCallContext Context, Func<byte[], byte[]> Transform) state,
        CancellationToken cancellationToken)
    {
        using (opened)
        {
            try
            {
                if (!opened.HasFirst)
                {
                    return;
                }

                var stream = opened.Call.ResponseStream;
                do
                {
                    await state.Responses.WriteAsync(state.Transform(stream.Current), state.Context.CancellationToken).ConfigureAwait(false);
                }
                while (await stream.MoveNext(cancellationToken).ConfigureAwait(false));
            }
            catch (RpcException e)
            {
                opened.Span.Fail(e.StatusCode);
                throw;
            }
        }
    }

    private static async Task<byte[]> SendClientStreamAsync(
        EndpointAttempt attempt,
        (MethodPlan Plan, string Region, byte[] First, IAsyncStreamReader<byte[]> Requests, ServerCallContext Context, Action<byte[]> Admit) state)
    {
        using var span = GatewayTelemetry.StartOutbound(state.Plan, state.Region, attempt.Endpoint.Address);
        var options = OutboundCalls.WithTraceContext(attempt.Options.WithCancellationToken(attempt.AttemptCancellation), span.Activity);
        try
        {
            using var call = attempt.Endpoint.Invoker.AsyncClientStreamingCall(RawBytes.MethodOf(state.Plan), null, options);
            await call.RequestStream.WriteAsync(state.First, attempt.AttemptCancellation).ConfigureAwait(false);
            while (await state.Requests.MoveNext(state.Context.CancellationToken).ConfigureAwait(false))
            {
                state.Admit(state.Requests.Current);
                await call.RequestStream.WriteAsync(state.Requests.Current, attempt.AttemptCancellation).ConfigureAwait(false);
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            return await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            span.Fail(e.StatusCode);
            throw;
        }
    }

    /// <summary>A server stream whose first message has been read, with its client span; disposing ends both.</summary>
    private sealed class OpenedStream(AsyncServerStreamingCall<byte[]> call, GatewayTelemetry.OutboundScope span, bool hasFirst) : IDisposable
    {
        public AsyncServerStreamingCall<byte[]> Call => call;

        public GatewayTelemetry.OutboundScope Span => span;

        public bool HasFirst => hasFirst;

        public void Dispose()
        {
            call.Dispose();
            span.Dispose();
        }
    }
}
