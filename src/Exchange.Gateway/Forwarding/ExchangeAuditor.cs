using System.Collections;
using System.Collections.Immutable;
using Exchange.Contracts.Descriptors;
using Exchange.Contracts.V1;
using Exchange.Contracts.Validation;
using Exchange.Gateway.Audit;
using Exchange.Gateway.Contracts;
using Exchange.Gateway.Idempotency;
using Exchange.Gateway.Telemetry;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Exchange.Gateway.Forwarding;

/// <summary>
/// Audits the request path: every answered exchange gets exactly one record (and each fan-out leg its own, linked to
/// it), durable before the answer leaves. If the trail cannot make it durable, the exchange is answered UNAVAILABLE
/// (<see cref="AuditUnavailableReason"/>) instead: fail closed.
/// </summary>
internal sealed class ExchangeAuditor(AuditTrail trail, AuditSubjectHasher hasher, TimeProvider time, ILogger<ExchangeAuditor> logger)
{
    /// <summary>ErrorInfo reason of an exchange refused because its record could not be made durable.</summary>
    public const string AuditUnavailableReason = "AUDIT_UNAVAILABLE";

    /// <summary>
    /// Starts the record of an exchange received now; refuses it at once (UNAVAILABLE, AUDIT_UNAVAILABLE, nothing
    /// forwarded) while the trail cannot make records durable, since its answer could not be audited.
    /// </summary>
    public ExchangeAudit Begin(MethodPlan plan, GatewayTelemetry.ExchangeScope scope)
    {
        if (!trail.Health.IsHealthy)
        {
            var refused = Unavailable(forwarded: false);
            scope.Fail(refused.StatusCode, refused.Status.Detail);
            throw refused;
        }

        return new ExchangeAudit(plan, Guid.CreateVersion7().ToString("N"), scope.TraceId, time.GetUtcNow());
    }

    /// <summary>
    /// Takes the purpose and the data subjects (keyed hashes of the fields annotated <c>subject_identifier</c>) from
    /// the parsed request. Unvalidated values are hashed as they are: a refused attempt on a person is audited too.
    /// </summary>
    public void Describe(ExchangeAudit audit, IMessage message)
    {
        var plan = audit.Plan;
        if (plan.PurposeField is { } purposeField && purposeField.Accessor.GetValue(message) is PurposeOfUse purpose)
        {
            audit.Purpose = ProtoEnumNames.Of(purpose);
        }

        AddSubjects(audit, message);
    }

    /// <summary>Adds the data subjects named by <paramref name="message"/> (a later message of a client stream, too).</summary>
    public void AddSubjects(ExchangeAudit audit, IMessage message)
    {
        var paths = audit.Plan.SubjectPaths;
        if (paths.Count == 0)
        {
            return;
        }

        var subjects = audit.Subjects.ToBuilder();
        foreach (var path in paths)
        {
            switch (path.GetValue(message))
            {
                case string { Length: > 0 } identifier:
                    Add(subjects, hasher.Hash(identifier));
                    break;
                case IEnumerable values and not string:
                    foreach (var value in values)
                    {
                        if (value is string { Length: > 0 } item)
                        {
                            Add(subjects, hasher.Hash(item));
                        }
                    }

                    break;
            }
        }

        audit.Subjects = subjects.ToImmutable();
    }

    /// <summary>Records an exchange answered OK; throws UNAVAILABLE (AUDIT_UNAVAILABLE) if the record cannot be made durable.</summary>
    public async Task AnsweredAsync(ExchangeAudit audit, GatewayTelemetry.ExchangeScope scope)
    {
        try
        {
            await RecordAsync(audit, StatusCode.OK, OutcomeOf(StatusCode.OK, audit.Attempts, audit.ExactlyOnce && !audit.ForwardStarted, reused: false)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            scope.Fail(e.StatusCode, e.Status.Detail);
            throw;
        }
    }

    /// <summary>
    /// Records an exchange that ends with <paramref name="error"/> (a gateway refusal, a relayed partner error, a
    /// failure, a cancellation), which the caller then receives; throws UNAVAILABLE (AUDIT_UNAVAILABLE) instead if
    /// the record cannot be made durable.
    /// </summary>
    public async Task FailedAsync(ExchangeAudit audit, Exception error, ServerCallContext context, GatewayTelemetry.ExchangeScope scope)
    {
        var status = StatusOf(error, context);
        scope.Fail(status, (error as RpcException)?.Status.Detail);
        var reused = error is RpcException rpc && IsReusedRequestId(rpc);
        try
        {
            await RecordAsync(audit, status, OutcomeOf(status, audit.Attempts, audit.ExactlyOnce && !audit.ForwardStarted, reused)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            scope.Fail(e.StatusCode, e.Status.Detail);
            throw;
        }
    }

    /// <summary>The status the caller receives for an exception a handler throws, as gRPC reports it.</summary>
    public static StatusCode StatusOf(Exception error, ServerCallContext context) => error switch
    {
        RpcException rpc => rpc.StatusCode,
        OperationCanceledException when context.CancellationToken.IsCancellationRequested => StatusCode.Cancelled,
        _ => StatusCode.Unknown,
    };

    /// <summary>
    /// How the gateway dealt with an exchange: a failure status is <see cref="AuditOutcome.Failed"/>; an answer from
    /// the idempotency store that this call did not forward is <see cref="AuditOutcome.Replayed"/> (a reused
    /// request_id is refused, <see cref="AuditOutcome.Rejected"/>); anything else is
    /// <see cref="AuditOutcome.Accepted"/> when it reached a partner (or succeeded), else
    /// <see cref="AuditOutcome.Rejected"/>.
    /// </summary>
    public static AuditOutcome OutcomeOf(StatusCode status, int attempts, bool replayCandidate, bool reused)
    {
        if (status is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.Cancelled
            or StatusCode.Internal or StatusCode.Unknown or StatusCode.DataLoss)
        {
            return AuditOutcome.Failed;
        }

        if (replayCandidate)
        {
            return reused ? AuditOutcome.Rejected : AuditOutcome.Replayed;
        }

        return status == StatusCode.OK || attempts > 0 ? AuditOutcome.Accepted : AuditOutcome.Rejected;
    }

    /// <summary>UNAVAILABLE with ErrorInfo <see cref="AuditUnavailableReason"/>: the exchange is not answered unaudited.</summary>
    public static RpcException Unavailable(bool forwarded)
    {
        var info = new ErrorInfo { Reason = AuditUnavailableReason, Domain = PurposeOfUseRule.ErrorDomain };
        // Whether the request reached a partner: a side-effecting exchange that did may have taken effect; resending
        // it with the same request_id is answered from the idempotency store.
        info.Metadata[ForwardFailure.ForwardedMetadataKey] = forwarded ? "true" : "false";
        return new Google.Rpc.Status
        {
            Code = (int)Code.Unavailable,
            Message = forwarded
                ? "the gateway's audit trail is unavailable, so the answer was withheld; the exchange may have taken effect: retry with the same request_id after a backoff"
                : "the gateway's audit trail is unavailable, so the exchange was not answered; retry after a backoff",
            Details = { Any.Pack(info) },
        }.ToRpcException();
    }

    private static bool IsReusedRequestId(RpcException error) =>
        error.StatusCode == StatusCode.AlreadyExists && error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason == IdempotencyErrors.RequestIdReused;

    private static void Add(ImmutableArray<SubjectHash>.Builder subjects, SubjectHash hash)
    {
        if (!subjects.Contains(hash))
        {
            subjects.Add(hash);
        }
    }

    private async Task RecordAsync(ExchangeAudit audit, StatusCode status, AuditOutcome outcome)
    {
        var entry = audit.Entry(status, outcome, time.GetUtcNow());
        try
        {
            var legs = audit.Legs;
            if (legs.Count == 0)
            {
                await trail.AppendAsync(entry, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            // Legs first, then the exchange: queued together, so they share a flush.
            var appends = new Task[legs.Count + 1];
            for (var i = 0; i < legs.Count; i++)
            {
                appends[i] = trail.AppendAsync(legs[i], CancellationToken.None).AsTask();
            }

            appends[^1] = trail.AppendAsync(entry, CancellationToken.None).AsTask();
            await Task.WhenAll(appends).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuditUnavailableException or ArgumentException)
        {
            // ArgumentException: an entry the trail refuses (a bug, never the caller's data in clear): fail closed too.
            AuditLog.ExchangeRefused(logger, audit.Plan.Path, audit.ExchangeId, e.Message);
            throw Unavailable(audit.Attempts > 0);
        }
    }
}
