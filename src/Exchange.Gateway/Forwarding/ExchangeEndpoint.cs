using Exchange.Contracts.Validation;
using Exchange.Gateway.Audit;
using Exchange.Gateway.Contracts;
using Exchange.Gateway.Idempotency;
using Exchange.Gateway.Security;
using Exchange.Gateway.Telemetry;
using Google.Protobuf;
using Grpc.Core;

namespace Exchange.Gateway.Forwarding;

/// <summary>
/// The generic handlers every forwarded method is served by: admit the caller, parse the request once, check it,
/// route it, forward the bytes, minimise the answer for the caller's clearance, and audit the exchange — one record,
/// durable before the answer leaves (unary and client streaming: before the response; server streaming: before the
/// final status), or UNAVAILABLE instead when the trail cannot take it. One server span per exchange.
/// </summary>
internal sealed class ExchangeEndpoint(Admission admission, Forwarder forwarder, FanOutForwarder fanOut, ExactlyOnce exactlyOnce, ExchangeAuditor auditor)
{
    public async Task<byte[]> UnaryAsync(MethodPlan plan, byte[] request, ServerCallContext context)
    {
        using var scope = GatewayTelemetry.StartExchange(plan, context);
        var audit = auditor.Begin(plan, scope);
        audit.Request = MessageDigest.Of(request);
        byte[] response;
        try
        {
            var caller = Admit(plan, context, scope, audit);
            var message = Admission.ParseRequest(plan, request);
            auditor.Describe(audit, message);
            Admission.CheckRequest(plan, caller, message);
            response = plan.Routing switch
            {
                RoutingPlan.FanOut fan => await fanOut.UnaryAsync(plan, fan, caller, request, context, audit).ConfigureAwait(false),
                RoutingPlan.ByRegionField byField when plan.RequestIdField is { } requestId =>
                    await ForwardOnceAsync(plan, requestId, Route(byField, caller, message, scope, audit), caller, message, request, context, audit).ConfigureAwait(false),
                RoutingPlan.ByRegionField byField => await forwarder.UnaryAsync(plan, Route(byField, caller, message, scope, audit), request, context, audit).ConfigureAwait(false),
                _ => throw Rejections.Unimplemented(plan.Path),
            };
            response = ResponseMinimiser.Minimise(plan, response, caller.Clearance);
        }
        catch (Exception e)
        {
            await auditor.FailedAsync(audit, e, context, scope).ConfigureAwait(false);
            throw;
        }

        audit.Response = MessageDigest.Of(response);
        await auditor.AnsweredAsync(audit, scope).ConfigureAwait(false);
        return response;
    }

    public async Task ServerStreamingAsync(MethodPlan plan, byte[] request, IServerStreamWriter<byte[]> responses, ServerCallContext context)
    {
        using var scope = GatewayTelemetry.StartExchange(plan, context);
        var audit = auditor.Begin(plan, scope);
        audit.Request = MessageDigest.Of(request);
        using var sent = new MessageDigestBuilder();
        try
        {
            var caller = Admit(plan, context, scope, audit);
            var message = Admission.ParseRequest(plan, request);
            auditor.Describe(audit, message);
            Admission.CheckRequest(plan, caller, message);
            var route = Route((RoutingPlan.ByRegionField)plan.Routing, caller, message, scope, audit);
            await forwarder.ServerStreamingAsync(
                plan,
                route,
                request,
                responses,
                context,
                response =>
                {
                    var minimised = ResponseMinimiser.Minimise(plan, response, caller.Clearance);
                    sent.Append(minimised);
                    return minimised;
                },
                audit).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            audit.Response = sent.CurrentOrNone();
            await auditor.FailedAsync(audit, e, context, scope).ConfigureAwait(false);
            throw;
        }

        // The messages have gone; the final status waits until the record is durable.
        audit.Response = sent.Current();
        await auditor.AnsweredAsync(audit, scope).ConfigureAwait(false);
    }

    public async Task<byte[]> ClientStreamingAsync(MethodPlan plan, IAsyncStreamReader<byte[]> requests, ServerCallContext context)
    {
        using var scope = GatewayTelemetry.StartExchange(plan, context);
        var audit = auditor.Begin(plan, scope);
        using var received = new MessageDigestBuilder();
        byte[] response;
        try
        {
            try
            {
                var caller = Admit(plan, context, scope, audit);
                if (!await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
                {
                    throw InvalidRequest("the stream had no message; the first message names the target region");
                }

                // The first message routes the stream and states its purpose; later ones are validated as they pass.
                var first = requests.Current;
                received.Append(first);
                var message = Admission.ParseRequest(plan, first);
                auditor.Describe(audit, message);
                Admission.CheckRequest(plan, caller, message);
                var route = Route((RoutingPlan.ByRegionField)plan.Routing, caller, message, scope, audit);
                response = await forwarder.ClientStreamingAsync(
                    plan,
                    route,
                    first,
                    requests,
                    context,
                    later =>
                    {
                        received.Append(later);
                        var parsed = plan.RequestParser.ParseFrom(later);
                        auditor.AddSubjects(audit, parsed);
                        InvalidArgument.ThrowIfInvalid(parsed);
                    },
                    audit).ConfigureAwait(false);
                response = ResponseMinimiser.Minimise(plan, response, caller.Clearance);
            }
            catch (InvalidProtocolBufferException)
            {
                throw InvalidRequest($"a message is not a valid {plan.Descriptor.InputType.FullName}");
            }
        }
        catch (Exception e)
        {
            audit.Request = received.CurrentOrNone();
            await auditor.FailedAsync(audit, e, context, scope).ConfigureAwait(false);
            throw;
        }

        audit.Request = received.Current();
        audit.Response = MessageDigest.Of(response);
        await auditor.AnsweredAsync(audit, scope).ConfigureAwait(false);
        return response;
    }

    /// <summary>
    /// A side-effecting exchange, after every gateway-side check and the route: forwarded at most once per (caller,
    /// method, request_id), a duplicate answered from the idempotency store.
    /// </summary>
    private async Task<byte[]> ForwardOnceAsync(
        MethodPlan plan, FieldPath requestIdField, Routing.RegionRoute route, Participant caller, IMessage message, byte[] request, ServerCallContext context, ExchangeAudit audit)
    {
        var requestId = requestIdField.GetString(message);
        if (requestId.Length == 0)
        {
            throw InvalidRequest($"{requestIdField.Text} must be set: it makes the exchange exactly-once", requestIdField.Text);
        }

        audit.ExactlyOnce = true;
        return await exactlyOnce.ExecuteAsync(
            new IdempotencyKey(caller.Id, plan.Path, requestId),
            request,
            context.Deadline,
            bytes => forwarder.UnaryAsync(plan, route, bytes, context, audit),
            context.CancellationToken).ConfigureAwait(false);
    }

    private Participant Admit(MethodPlan plan, ServerCallContext context, GatewayTelemetry.ExchangeScope scope, ExchangeAudit audit)
    {
        var caller = admission.Identify(context);
        audit.Caller = caller.Id;
        Admission.AdmitMethod(plan, caller);
        scope.SetParticipant(caller.Id);
        return caller;
    }

    private Routing.RegionRoute Route(RoutingPlan.ByRegionField byField, Participant caller, IMessage message, GatewayTelemetry.ExchangeScope scope, ExchangeAudit audit)
    {
        var regionCode = byField.Field.GetString(message);
        if (regionCode.Length == 0)
        {
            throw InvalidRequest($"{byField.Field.Text} must be set: it names the region the exchange goes to", byField.Field.Text);
        }

        scope.SetTarget(regionCode);
        audit.TargetRegion = regionCode;
        Admission.AdmitTarget(caller, regionCode);
        return forwarder.RouteFor(regionCode);
    }

    private static RpcException InvalidRequest(string description, string field = "") => InvalidArgument.For(field, description);
}
