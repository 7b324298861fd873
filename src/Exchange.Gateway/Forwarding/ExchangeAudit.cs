using System.Collections.Immutable;
using Exchange.Gateway.Audit;
using Exchange.Gateway.Contracts;
using Exchange.Gateway.Resilience;
using Grpc.Core;

namespace Exchange.Gateway.Forwarding;

/// <summary>
/// The audit record of one exchange as the request path learns it: who called, what about (subject hashes, purpose),
/// digests of what came in and went out, where it went and how many attempts it took. <see cref="ExchangeAuditor"/>
/// turns it into the exchange's <see cref="AuditEntry"/> (and one per fan-out leg) once it is answered. Holds no
/// personal data. Used by one call at a time; fan-out legs are added after they have all ended.
/// </summary>
internal sealed class ExchangeAudit(MethodPlan plan, string exchangeId, string? traceId, DateTimeOffset receivedAt)
{
    /// <summary>The caller recorded when none was identified (no or an untrusted certificate, an unknown participant).</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>Purpose recorded for methods that state none.</summary>
    public const string NoPurpose = "PURPOSE_OF_USE_UNSPECIFIED";

    private List<AuditEntry>? _legs;

    /// <summary>The method.</summary>
    public MethodPlan Plan { get; } = plan;

    /// <summary>The gateway's id of the exchange.</summary>
    public string ExchangeId { get; } = exchangeId;

    /// <summary>The W3C trace id, or null.</summary>
    public string? TraceId { get; } = traceId;

    /// <summary>When the call was received.</summary>
    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    /// <summary>The calling participant, once identified.</summary>
    public string Caller { get; set; } = Unauthenticated;

    /// <summary>The purpose stated, as its proto name.</summary>
    public string Purpose { get; set; } = NoPurpose;

    /// <summary>Keyed hashes of the data subjects named by the request.</summary>
    public ImmutableArray<SubjectHash> Subjects { get; set; } = [];

    /// <summary>The region the exchange was routed to, once known (null for fan-out: see the legs).</summary>
    public string? TargetRegion { get; set; }

    /// <summary>Digest of the request, once read.</summary>
    public MessageDigest? Request { get; set; }

    /// <summary>Digest of the response sent, if any.</summary>
    public MessageDigest? Response { get; set; }

    /// <summary>The exchange went to the idempotency store (a side-effecting method past every gateway check).</summary>
    public bool ExactlyOnce { get; set; }

    /// <summary>This call started forwarding (the forwarder was entered, whether or not anything was sent).</summary>
    public bool ForwardStarted { get; set; }

    /// <summary>Outbound attempts made.</summary>
    public int Attempts { get; private set; }

    /// <summary>When the first outbound attempt started.</summary>
    public DateTimeOffset? ForwardedAt { get; private set; }

    /// <summary>The endpoint that answered (or was tried last).</summary>
    public string? TargetEndpoint { get; private set; }

    /// <summary>The fan-out legs, in the order the regions were asked.</summary>
    public IReadOnlyList<AuditEntry> Legs => (IReadOnlyList<AuditEntry>?)_legs ?? [];

    /// <summary>Takes the attempts, first attempt time and endpoint of a finished outbound call.</summary>
    public void Sent(OutboundCall call)
    {
        Attempts += call.AttemptsSent;
        ForwardedAt ??= call.FirstAttemptAt;
        if (call.Endpoint is { } endpoint)
        {
            TargetEndpoint = endpoint.ToString();
        }
    }

    /// <summary>
    /// Adds the record of one fan-out leg: its own exchange id, linked to this exchange, with the leg's region,
    /// endpoint, attempts, status and response digest; the parent counts its attempts.
    /// </summary>
    public void AddLeg(string regionCode, OutboundCall? call, StatusCode status, MessageDigest? response, DateTimeOffset answeredAt)
    {
        var attempts = call?.AttemptsSent ?? 0;
        var forwardedAt = call?.FirstAttemptAt;
        Attempts += attempts;
        if (forwardedAt is { } at && (ForwardedAt is null || at < ForwardedAt))
        {
            ForwardedAt = at;
        }

        (_legs ??= []).Add(new AuditEntry
        {
            ExchangeId = $"{ExchangeId}-{regionCode}",
            ParentExchangeId = ExchangeId,
            TraceId = TraceId,
            Caller = Caller,
            TargetRegion = regionCode,
            TargetEndpoint = call?.Endpoint?.ToString(),
            Service = Plan.ServiceName,
            Method = Plan.MethodName,
            Purpose = Purpose,
            SubjectHashes = Subjects,
            Request = Request,
            Response = response,
            Status = status,
            Outcome = ExchangeAuditor.OutcomeOf(status, attempts, replayCandidate: false, reused: false),
            Attempts = attempts,
            ReceivedAt = ReceivedAt,
            ForwardedAt = forwardedAt,
            AnsweredAt = answeredAt,
        });
    }

    /// <summary>The exchange's own entry, answered with <paramref name="status"/> at <paramref name="answeredAt"/>.</summary>
    public AuditEntry Entry(StatusCode status, AuditOutcome outcome, DateTimeOffset answeredAt) => new()
    {
        ExchangeId = ExchangeId,
        TraceId = TraceId,
        Caller = Caller,
        TargetRegion = TargetRegion,
        TargetEndpoint = TargetEndpoint,
        Service = Plan.ServiceName,
        Method = Plan.MethodName,
        Purpose = Purpose,
        SubjectHashes = Subjects,
        Request = Request,
        Response = Response,
        Status = status,
        Outcome = outcome,
        Attempts = Attempts,
        ReceivedAt = ReceivedAt,
        ForwardedAt = ForwardedAt,
        AnsweredAt = answeredAt,
    };
}
