using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Exchange.Contracts.Audit.V1;
using Exchange.Contracts.Validation;
using Exchange.Gateway.Audit;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Contracts;
using Exchange.Gateway.Forwarding;
using Exchange.Gateway.Security;
using Exchange.Gateway.Telemetry;
using Google.Protobuf;
using MessageDigest = Exchange.Gateway.Audit.MessageDigest;
using Grpc.Core;

namespace Exchange.Gateway.Discovery;

/// <summary>
/// The auditor's API (<c>exchange.audit.v1.AuditService</c>), answered by the gateway from its own audit store, never
/// routed: only to configured participants with the auditor role whose access policy names the method (others get
/// PERMISSION_DENIED), who state a purpose they may state. A data subject is searched by the identifier the auditor
/// gives, which is hashed here with the trail's key and goes no further. Each call is itself audited, like an
/// exchange: one record (caller, the subject's keyed hash, purpose, digests, status), durable before the answer.
/// </summary>
internal sealed class GatewayAuditService(
    Admission admission, MethodPlanCatalog catalog, IAuditStore store, AuditSubjectHasher hasher, ExchangeAuditor auditor, ILogger<GatewayAuditService> logger)
    : AuditService.AuditServiceBase
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;
    private const int ExportPageSize = 500;

    public override async Task<QueryAuditRecordsResponse> QueryAuditRecords(QueryAuditRecordsRequest request, ServerCallContext context)
    {
        var plan = PlanOf(context);
        using var scope = GatewayTelemetry.StartExchange(plan, context);
        var audit = auditor.Begin(plan, scope);
        audit.Request = MessageDigest.Of(request.ToByteArray());
        QueryAuditRecordsResponse response;
        try
        {
            var caller = Admit(plan, request, context, audit);
            if (request.PageSize < 0)
            {
                throw InvalidArgument.For("page_size", "must not be negative");
            }

            var query = QueryOf(request.Filter) with { PageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize) };
            var fingerprint = Fingerprint(query);
            query = query with { After = PageToken.Decode(request.PageToken, fingerprint) };
            var page = await ReadAsync(caller, () => store.QueryAsync(query, context.CancellationToken)).ConfigureAwait(false);
            response = new QueryAuditRecordsResponse();
            response.Records.Add(page.Records.Select(AuditRecordMessages.ToMessage));
            if (page.Next is { } next)
            {
                response.NextPageToken = PageToken.Encode(next, fingerprint);
            }
        }
        catch (Exception e)
        {
            await auditor.FailedAsync(audit, e, context, scope).ConfigureAwait(false);
            throw;
        }

        audit.Response = MessageDigest.Of(response.ToByteArray());
        await auditor.AnsweredAsync(audit, scope).ConfigureAwait(false);
        return response;
    }

    public override async Task ExportAuditRecords(ExportAuditRecordsRequest request, IServerStreamWriter<ExportAuditRecordsResponse> responseStream, ServerCallContext context)
    {
        var plan = PlanOf(context);
        using var scope = GatewayTelemetry.StartExchange(plan, context);
        var audit = auditor.Begin(plan, scope);
        audit.Request = MessageDigest.Of(request.ToByteArray());
        using var sent = new MessageDigestBuilder();
        try
        {
            var caller = Admit(plan, request, context, audit);
            var query = QueryOf(request.Filter) with { PageSize = ExportPageSize };
            while (true)
            {
                var current = query;
                var page = await ReadAsync(caller, () => store.QueryAsync(current, context.CancellationToken)).ConfigureAwait(false);
                foreach (var record in page.Records)
                {
                    var message = new ExportAuditRecordsResponse { Record = AuditRecordMessages.ToMessage(record) };
                    await responseStream.WriteAsync(message, context.CancellationToken).ConfigureAwait(false);
                    sent.Append(message.ToByteArray());
                }

                if (page.Next is null)
                {
                    break;
                }

                query = query with { After = page.Next };
            }
        }
        catch (Exception e)
        {
            audit.Response = sent.CurrentOrNone();
            await auditor.FailedAsync(audit, e, context, scope).ConfigureAwait(false);
            throw;
        }

        // The records have gone; the final status waits until this export's own record is durable.
        audit.Response = sent.Current();
        await auditor.AnsweredAsync(audit, scope).ConfigureAwait(false);
    }

    private static DateTimeOffset? Time(Google.Protobuf.WellKnownTypes.Timestamp? time) => time?.ToDateTimeOffset();

    private static string? Text(string value) => value.Length == 0 ? null : value;

    /// <summary>Identifies the query (with the subject already hashed), so a page token only serves the query that issued it.</summary>
    private static string Fingerprint(AuditQuery query)
    {
        var text = string.Join(
            '\n',
            query.From?.UtcTicks.ToString(CultureInfo.InvariantCulture),
            query.To?.UtcTicks.ToString(CultureInfo.InvariantCulture),
            query.Node,
            query.Caller,
            query.Service,
            query.Method,
            query.Status is { } status ? ((int)status).ToString(CultureInfo.InvariantCulture) : null,
            query.TraceId,
            query.Subject?.Hex);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }

    private MethodPlan PlanOf(ServerCallContext context) => catalog.Find(context.Method) ?? throw Rejections.Unimplemented(context.Method);

    private Participant Admit(MethodPlan plan, IMessage request, ServerCallContext context, ExchangeAudit audit)
    {
        var caller = admission.Identify(context);
        audit.Caller = caller.Id;
        // An auditor's search is audited like any exchange: who looked up whom (as a keyed hash), and why.
        auditor.Describe(audit, request);
        Admission.AdmitMethod(plan, caller);
        if (caller.Options.Role != ParticipantRole.Auditor)
        {
            throw Rejections.AuditorOnly(caller.Id, plan.Path);
        }

        Admission.CheckRequest(plan, caller, request);
        return caller;
    }

    private AuditQuery QueryOf(AuditFilter? filter)
    {
        filter ??= new AuditFilter();
        StatusCode? status = null;
        if (filter.Status.Length > 0)
        {
            status = Google.Rpc.CodeReflection.Descriptor.EnumTypes[0].FindValueByName(filter.Status) is { } code
                ? (StatusCode)code.Number
                : throw InvalidArgument.For("filter.status", "is not a gRPC status name such as OK or PERMISSION_DENIED");
        }

        if (filter.ReceivedFrom is { } from && filter.ReceivedBefore is { } before && from.ToDateTimeOffset() >= before.ToDateTimeOffset())
        {
            throw InvalidArgument.For("filter.received_before", "must be later than filter.received_from");
        }

        var subject = filter.Subject?.IdentifierCase switch
        {
            Exchange.Contracts.V1.Subject.IdentifierOneofCase.CitizenId => hasher.Hash(filter.Subject.CitizenId),
            Exchange.Contracts.V1.Subject.IdentifierOneofCase.CreditCode => hasher.Hash(filter.Subject.CreditCode),
            _ => (SubjectHash?)null,
        };
        return new AuditQuery
        {
            From = Time(filter.ReceivedFrom),
            To = Time(filter.ReceivedBefore),
            Node = Text(filter.Node),
            Caller = Text(filter.Caller),
            Service = Text(filter.Service),
            Method = Text(filter.Method),
            Status = status,
            TraceId = Text(filter.TraceId),
            Subject = subject,
        };
    }

    private async Task<AuditPage> ReadAsync(Participant caller, Func<Task<AuditPage>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            AuditLog.QueryFailed(logger, caller.Id, e);
            throw new RpcException(new Status(StatusCode.DataLoss, "a stored audit record cannot be read; run 'exchange audit verify'"));
        }
        catch (Exception e) when (e is not (OperationCanceledException or RpcException))
        {
            AuditLog.QueryFailed(logger, caller.Id, e);
            throw new RpcException(new Status(StatusCode.Unavailable, "the audit store cannot be read; retry after a backoff"));
        }
    }

    /// <summary>Opaque page tokens: the position after the page, bound to the query that issued it.</summary>
    private static class PageToken
    {
        private const string Prefix = "a1";

        public static string Encode(AuditCursor cursor, string fingerprint) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Prefix}:{fingerprint}:{cursor.Sequence}:{cursor.Node}")));

        public static AuditCursor? Decode(string token, string fingerprint)
        {
            if (token.Length == 0)
            {
                return null;
            }

            try
            {
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':', 4);
                if (parts is [Prefix, var issuedFor, var sequence, var node]
                    && long.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var after)
                    && AuditOptions.IsNodeId(node))
                {
                    return issuedFor == fingerprint
                        ? new AuditCursor(node, after)
                        : throw InvalidArgument.For("page_token", "was issued for another filter; keep the filter unchanged while paging");
                }
            }
            catch (FormatException)
            {
            }

            throw InvalidArgument.For("page_token", "was not issued by this gateway");
        }
    }
}
