using System.Diagnostics;
using System.Diagnostics.Metrics;
using Exchange.Gateway.Contracts;
using Grpc.Core;

namespace Exchange.Gateway.Telemetry;

/// <summary>
/// The gateway's traces and metrics. Attributes carry methods, participants, region codes and status codes only:
/// never a request field, so no personal data can reach a span or a metric.
/// </summary>
internal static class GatewayTelemetry
{
    /// <summary>Name of the activity source and meter.</summary>
    public const string Name = "Exchange.Gateway";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "exchange.gateway.requests", unit: "{request}", description: "Exchanges answered, by method, participant and gRPC status.");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "exchange.gateway.request.duration", unit: "s", description: "Time from receiving an exchange to answering it.");

    private static readonly Histogram<double> OutboundDuration = Meter.CreateHistogram<double>(
        "exchange.gateway.outbound.duration", unit: "s", description: "Duration of calls to region endpoints, by region and gRPC status.");

    /// <summary>Starts the server span of one inbound exchange, continuing the caller's W3C trace context if it sent one.</summary>
    public static ExchangeScope StartExchange(MethodPlan plan, ServerCallContext context)
    {
        var traceparent = context.RequestHeaders.GetValue("traceparent");
        var parent = traceparent is not null && ActivityContext.TryParse(traceparent, context.RequestHeaders.GetValue("tracestate"), isRemote: true, out var remote)
            ? remote
            : default;
        if (parent == default)
        {
            // No caller context: the exchange starts its own trace. As a child of ASP.NET Core's request activity (not
            // exported, no ASP.NET Core instrumentation is configured, and unsampled) a parent-based sampler would drop
            // the span and the whole trace with it. The change of Activity.Current lasts as long as the calling handler.
            Activity.Current = null;
        }

        var activity = Source.StartActivity(plan.ExchangeSpanName, ActivityKind.Server, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", plan.ServiceName);
            activity.SetTag("rpc.method", plan.MethodName);
        }

        // The audit record names the trace when there is one to look at: the recorded server span's, else the caller's
        // own. An exchange left out by sampling names none (its trace id would lead nowhere, and every distinct id
        // costs the trail an index entry).
        var traceId = activity is { Recorded: true } ? activity.TraceId.ToHexString() : parent != default ? parent.TraceId.ToHexString() : null;
        return new ExchangeScope(plan, activity, traceId, Stopwatch.GetTimestamp());
    }

    /// <summary>Starts the client span of one outbound call.</summary>
    public static OutboundScope StartOutbound(MethodPlan plan, string regionCode, Uri endpoint)
    {
        var activity = Source.StartActivity(plan.ForwardSpanName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", plan.ServiceName);
            activity.SetTag("rpc.method", plan.MethodName);
            activity.SetTag("exchange.region", regionCode);
            activity.SetTag("server.address", endpoint.Host);
            activity.SetTag("server.port", endpoint.Port);
        }

        // The span reaches the partner through the trace context the forwarder writes itself (OutboundCalls). Left as
        // Activity.Current, it would make HttpClient and Grpc.Net.Client start spans of their own on every call, which
        // nobody exports. Callers are async methods, so the change ends with the attempt.
        Activity.Current = null;
        return new OutboundScope(regionCode, activity, Stopwatch.GetTimestamp());
    }

    /// <summary>The span and measurements of one inbound exchange.</summary>
    public sealed class ExchangeScope(MethodPlan plan, Activity? activity, string? traceId, long started) : IDisposable
    {
        // Tags only on a span that is recorded: the sampler drops most, and a dropped span still keeps what it is given.
        private readonly Activity? _recorded = activity is { IsAllDataRequested: true } ? activity : null;
        private string _participant = "unknown";
        private StatusCode _status = StatusCode.OK;

        /// <summary>The W3C trace id of the exchange (32 lower-case hex), or null when it has none.</summary>
        public string? TraceId => traceId;

        public void SetParticipant(string participantId)
        {
            _participant = participantId;
            _recorded?.SetTag("exchange.participant", participantId);
        }

        public void SetTarget(string regionCode) => _recorded?.SetTag("exchange.target_region", regionCode);

        public void Fail(StatusCode status, string? reason = null)
        {
            _status = status;
            activity?.SetStatus(ActivityStatusCode.Error, reason ?? status.ToString());
        }

        public void Dispose()
        {
            _recorded?.SetTag("rpc.grpc.status_code", (int)_status);
            activity?.Dispose();
            var tags = new TagList
            {
                { "rpc.method", plan.Path },
                { "exchange.participant", _participant },
                { "rpc.grpc.status_code", (int)_status },
            };
            Requests.Add(1, tags);
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    /// <summary>The span and measurement of one outbound call.</summary>
    public sealed class OutboundScope(string regionCode, Activity? activity, long started) : IDisposable
    {
        private readonly Activity? _recorded = activity is { IsAllDataRequested: true } ? activity : null;
        private StatusCode _status = StatusCode.OK;

        /// <summary>The client span, or null when nobody listens; the partner continues its trace context.</summary>
        public Activity? Activity => activity;

        public void Fail(StatusCode status)
        {
            _status = status;
            activity?.SetStatus(ActivityStatusCode.Error, status.ToString());
        }

        public void Dispose()
        {
            _recorded?.SetTag("rpc.grpc.status_code", (int)_status);
            activity?.Dispose();
            OutboundDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new TagList { { "exchange.region", regionCode }, { "rpc.grpc.status_code", (int)_status } });
        }
    }
}
