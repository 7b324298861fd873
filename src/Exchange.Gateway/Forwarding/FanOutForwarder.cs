using System.Collections;
using Exchange.Contracts.V1;
using Exchange.Gateway.Audit;
using Exchange.Gateway.Contracts;
using Exchange.Gateway.Resilience;
using Exchange.Gateway.Routing;
using Exchange.Gateway.Security;
using Exchange.Gateway.Telemetry;
using Google.Protobuf;
using Grpc.Core;

namespace Exchange.Gateway.Forwarding;

/// <summary>
/// Asks every fan-out region at once, under the caller's deadline, and answers with the merged results plus one
/// RegionStatus per region asked: answered, unavailable, timed out or refused. No region is dropped silently, and
/// one slow region costs the others nothing (each leg ends by the deadline on its own, through its region's own
/// pipeline and bulkhead). The caller's rate limit is taken once for the whole exchange. Each leg gets its own audit
/// record, linked to the exchange's.
/// </summary>
internal sealed class FanOutForwarder(RouteTable routes, OutboundCalls calls, OutboundResilience resilience, ParticipantRateLimiter rateLimit, TimeProvider time)
{
    /// <summary>Runs a fan-out exchange.</summary>
    public async Task<byte[]> UnaryAsync(MethodPlan plan, RoutingPlan.FanOut fanOut, Participant caller, byte[] request, ServerCallContext context, ExchangeAudit audit)
    {
        audit.ForwardStarted = true;
        rateLimit.Admit(caller.Id);
        var options = calls.For(context);
        var legs = routes.FanOutRoutes.Select(route => AskAsync(plan, route, caller, request, options)).ToArray();
        var answers = await Task.WhenAll(legs).ConfigureAwait(false);
        foreach (var (route, response, status, leg) in answers)
        {
            audit.AddLeg(route.Code, leg.Call, leg.Status, response is null ? null : MessageDigest.Of(response), leg.AnsweredAt);
        }

        var merged = (IMessage)Activator.CreateInstance(plan.Descriptor.OutputType.ClrType)!;
        var results = (IList)fanOut.MergeField.Accessor.GetValue(merged);
        var statuses = (IList)fanOut.RegionStatusField.Accessor.GetValue(merged);
        foreach (var (route, response, status, _) in answers)
        {
            if (response is not null)
            {
                var partial = plan.ResponseParser.ParseFrom(response);
                var items = (IList)fanOut.MergeField.Accessor.GetValue(partial);
                foreach (var item in items)
                {
                    results.Add(item);
                }

                status.ResultCount = items.Count;
            }

            status.RegionCode = route.Code;
            statuses.Add(status);
        }

        return merged.ToByteArray();
    }

    private async Task<(RegionRoute Route, byte[]? Response, RegionStatus Status, LegResult Leg)> AskAsync(
        MethodPlan plan, RegionRoute route, Participant caller, byte[] request, CallOptions options)
    {
        if (!caller.MayReach(route.Code))
        {
            return (route, null, new RegionStatus { Outcome = RegionOutcome.Refused, Detail = $"participant '{caller.Id}' may not reach this region" },
                new LegResult(null, StatusCode.PermissionDenied, time.GetUtcNow()));
        }

        var call = new OutboundCall(plan, options);
        try
        {
            var response = await resilience.For(route).ExecuteUnaryAsync(call, Forwarder.SendUnaryAsync, (plan, route.Code, request)).ConfigureAwait(false);
            return (route, response, new RegionStatus { Outcome = RegionOutcome.Answered }, new LegResult(call, StatusCode.OK, time.GetUtcNow()));
        }
        catch (RpcException e)
        {
            var outcome = e.StatusCode switch
            {
                StatusCode.DeadlineExceeded => RegionOutcome.TimedOut,
                StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled or StatusCode.ResourceExhausted => RegionOutcome.Unavailable,
                _ => RegionOutcome.Refused,
            };
            // The partner's message is relayed only for refusals (it explains them); transport errors say what happened,
            // and so do the gateway's own answers (an open breaker, a full bulkhead, an attempt timeout).
            var detail = e is RefusedBeforeSendingException or AttemptTimedOutException
                ? e.Status.Detail
                : outcome switch
                {
                    RegionOutcome.TimedOut => "no answer within the caller's deadline",
                    RegionOutcome.Unavailable => $"unavailable ({e.StatusCode})",
                    _ => $"{e.StatusCode}: {e.Status.Detail}",
                };
            return (route, null, new RegionStatus { Outcome = outcome, Detail = detail }, new LegResult(call, e.StatusCode, time.GetUtcNow()));
        }
    }

    /// <summary>What a leg's audit record needs: its outbound call (null when refused before one), status and end.</summary>
    private readonly record struct LegResult(OutboundCall? Call, StatusCode Status, DateTimeOffset AnsweredAt);
}
