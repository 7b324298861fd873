using Exchange.Contracts.Validation;
using Exchange.Gateway.Contracts;
using Exchange.Gateway.Idempotency;
using Exchange.Gateway.Security;
using Exchange.Gateway.Telemetry;
using Google.Protobuf;
using Grpc.Core;

namespace Exchange.Gateway.Forwarding;

/// <summary>
/// The generic handlers every forwarded method is served by: admit the caller, parse the request once, check it,
/// route it, forward the bytes, minimise the answer for the caller's clearance. One server span per exchange.
/// </summary>
internal sealed class ExchangeEndpoint(Admission admission, Forwarder forwarder, FanOutForwarder fanOut, ExactlyOnce exactlyOnce)
{
    public async Task<byte[]> UnaryAsync(MethodPlan plan, byte[] request, ServerCallContext context)
    {
        using var scope = GatewayTelemetry.StartExchange(plan, context);
        try
        {
            var caller = Admit(plan, context, scope);
            var message = Admission.AdmitRequest(plan, caller, request);
            var response = plan.Routing switch
            {
                RoutingPlan.FanOut fan => await fanOut.UnaryAsync(plan, fan, caller, request, context).ConfigureAwait(false),
                RoutingPlan.ByRegionField byField when plan.RequestIdField is { } requestId =>
                    await ForwardOnceAsync(plan, requestId, Route(byField, caller, message, scope), caller, message, request, context).ConfigureAwait(false),
                RoutingPlan.ByRegionField byField => await forwarder.UnaryAsync(plan, Route(byField, caller, message, scope), request, context).ConfigureAwait(false),
                _ => throw Rejections.Unimplemented(plan.Path),
            };
            return ResponseMinimiser.Minimise(plan, response, caller.Clearance);
        }
        catch (RpcException e)
        {
            scope.Fail(e.StatusCode, e.Status.Detail);
            throw;
        }
    }

    public async Task ServerStreamingAsync(MethodPlan plan, byte[] request, IServerStreamWriter<byte[]> responses, ServerCallContext context)
    {
        using var scope = GatewayTelemetry.StartExchange(plan, context);
        try
        {
            var caller = Admit(plan, context, scope);
            var message = Admission.AdmitRequest(plan, caller, request);
            var route = Route((RoutingPlan.ByRegionField)plan.Routing, caller, message, scope);
            await forwarder.ServerStreamingAsync(
                plan, route, request, responses, context, response => ResponseMinimiser.Minimise(plan, response, caller.Clearance)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            scope.Fail(e.StatusCode, e.Status.Detail);
            throw;
        }
    }

    public async Task<byte[]> ClientStreamingAsync(MethodPlan plan, IAsyncStreamReader<byte[]> requests, ServerCallContext context)
    {
        using var scope = GatewayTelemetry.StartExchange(plan, context);
        try
        {
            var caller = Admit(plan, context, scope);
            if (!await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                throw InvalidRequest("the stream had no message; the first message names the target region");
            }

            // The first message routes the stream and states its purpose; later ones are validated as they pass.
            var first = requests.Current;
            var message = Admission.AdmitRequest(plan, caller, first);
            var route = Route((RoutingPlan.ByRegionField)plan.Routing, caller, message, scope);
            var response = await forwarder.ClientStreamingAsync(plan, route, first, requests, context, later =>
            {
                InvalidArgument.ThrowIfInvalid(plan.RequestParser.ParseFrom(later));
            }).ConfigureAwait(false);
            return ResponseMinimiser.Minimise(plan, response, caller.Clearance);
        }
        catch (RpcException e)
        {
            scope.Fail(e.StatusCode, e.Status.Detail);
            throw;
        }
        catch (InvalidProtocolBufferException)
        {
            scope.Fail(StatusCode.InvalidArgument);
            throw InvalidRequest($"a message is not a valid {plan.Descriptor.InputType.FullName}");
        }
    }

    /// <summary>
    /// A side-effecting exchange, after every gateway-side check and the route: forwarded at most once per (caller,
    /// method, request_id), a duplicate answered from the idempotency store.
    /// </summary>
    private async Task<byte[]> ForwardOnceAsync(
        MethodPlan plan, FieldPath requestIdField, Routing.RegionRoute route, Participant caller, IMessage message, byte[] request, ServerCallContext context)
    {
        var requestId = requestIdField.GetString(message);
        if (requestId.Length == 0)
        {
            throw InvalidRequest($"{requestIdField.Text} must be set: it makes the exchange exactly-once", requestIdField.Text);
        }

        return await exactlyOnce.ExecuteAsync(
            new IdempotencyKey(caller.Id, plan.Path, requestId),
            request,
            context.Deadline,
            bytes => forwarder.UnaryAsync(plan, route, bytes, context),
            context.CancellationToken).ConfigureAwait(false);
    }

    private Participant Admit(MethodPlan plan, ServerCallContext context, GatewayTelemetry.ExchangeScope scope)
    {
        var caller = admission.AdmitCaller(plan, context);
        scope.SetParticipant(caller.Id);
        return caller;
    }

    private Routing.RegionRoute Route(RoutingPlan.ByRegionField byField, Participant caller, IMessage message, GatewayTelemetry.ExchangeScope scope)
    {
        var regionCode = byField.Field.GetString(message);
        if (regionCode.Length == 0)
        {
            throw InvalidRequest($"{byField.Field.Text} must be set: it names the region the exchange goes to", byField.Field.Text);
        }

        scope.SetTarget(regionCode);
        Admission.AdmitTarget(caller, regionCode);
        return forwarder.RouteFor(regionCode);
    }

    private static RpcException InvalidRequest(string description, string field = "") => InvalidArgument.For(field, description);
}
