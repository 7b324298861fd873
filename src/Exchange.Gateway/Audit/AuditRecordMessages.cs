using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Proto = Exchange.Contracts.Audit.V1;

namespace Exchange.Gateway.Audit;

/// <summary>
/// Audit records as the AuditService carries them (<c>exchange.audit.v1.AuditRecord</c>) and back: every field the
/// record's hash covers, so a record read over the API is exported (and re-hashed) exactly as the store holds it.
/// </summary>
internal static class AuditRecordMessages
{
    /// <summary>The message of <paramref name="record"/>.</summary>
    public static Proto.AuditRecord ToMessage(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entry = record.Entry;
        var message = new Proto.AuditRecord
        {
            Node = record.Node,
            Sequence = record.Sequence,
            ExchangeId = entry.ExchangeId,
            ParentExchangeId = entry.ParentExchangeId ?? "",
            TraceId = entry.TraceId ?? "",
            Caller = entry.Caller,
            TargetRegion = entry.TargetRegion ?? "",
            TargetEndpoint = entry.TargetEndpoint ?? "",
            Service = entry.Service,
            Method = entry.Method,
            Purpose = entry.Purpose,
            Request = ToMessage(entry.Request),
            Response = ToMessage(entry.Response),
            StatusCode = (int)entry.Status,
            Status = AuditNdjson.StatusName(entry.Status),
            Outcome = (Proto.AuditOutcome)(int)entry.Outcome,
            Attempts = entry.Attempts,
            ReceivedTime = Timestamp.FromDateTimeOffset(entry.ReceivedAt),
            ForwardedTime = entry.ForwardedAt is { } forwarded ? Timestamp.FromDateTimeOffset(forwarded) : null,
            AnsweredTime = Timestamp.FromDateTimeOffset(entry.AnsweredAt),
            PreviousHash = record.PreviousHash.ToHex(),
            Hash = record.Hash.ToHex(),
            EncodingVersion = record.EncodingVersion,
        };
        message.SubjectHashes.Add(entry.SubjectHashes.Select(h => h.Hex));
        return message;
    }

    /// <summary>The record <paramref name="message"/> carries, as it was stored (its hash is not recomputed).</summary>
    /// <exception cref="FormatException">A hash, outcome or time is malformed.</exception>
    public static AuditRecord ToRecord(Proto.AuditRecord message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!System.Enum.IsDefined((AuditOutcome)(int)message.Outcome))
        {
            throw new FormatException($"record {message.Sequence}: outcome {message.Outcome} is not known");
        }

        return new AuditRecord
        {
            Node = message.Node,
            Sequence = message.Sequence,
            EncodingVersion = message.EncodingVersion,
            Entry = new AuditEntry
            {
                ExchangeId = message.ExchangeId,
                ParentExchangeId = Optional(message.ParentExchangeId),
                TraceId = Optional(message.TraceId),
                Caller = message.Caller,
                TargetRegion = Optional(message.TargetRegion),
                TargetEndpoint = Optional(message.TargetEndpoint),
                Service = message.Service,
                Method = message.Method,
                Purpose = message.Purpose,
                SubjectHashes = [.. message.SubjectHashes.Select(SubjectHash.Parse)],
                Request = ToDigest(message.Request),
                Response = ToDigest(message.Response),
                Status = (StatusCode)message.StatusCode,
                Outcome = (AuditOutcome)(int)message.Outcome,
                Attempts = message.Attempts,
                ReceivedAt = Time(message.ReceivedTime, "received_time"),
                ForwardedAt = message.ForwardedTime is null ? null : Time(message.ForwardedTime, "forwarded_time"),
                AnsweredAt = Time(message.AnsweredTime, "answered_time"),
            },
            PreviousHash = AuditHash.Parse(message.PreviousHash),
            Hash = AuditHash.Parse(message.Hash),
        };
    }

    private static Proto.MessageDigest? ToMessage(MessageDigest? digest) => digest is { } d
        ? new Proto.MessageDigest { Sha256 = d.Sha256.ToHex(), Size = d.Size, Messages = d.Messages }
        : null;

    private static MessageDigest? ToDigest(Proto.MessageDigest? digest) =>
        digest is null ? null : new MessageDigest(AuditHash.Parse(digest.Sha256), digest.Size, digest.Messages);

    private static string? Optional(string value) => value.Length == 0 ? null : value;

    private static DateTimeOffset Time(Timestamp? time, string field) =>
        time?.ToDateTimeOffset() ?? throw new FormatException($"{field} is missing");
}
