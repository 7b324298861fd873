using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using Grpc.Core;

namespace Exchange.Gateway.Audit;

/// <summary>
/// The JSON form of records and checkpoints, one object per line (NDJSON), used by exports and archive files. Field
/// names are stable (lowerCamelCase, every field always present, null when absent); hashes are lower-case hex,
/// signatures base64, times RFC 3339 UTC with microseconds. A record read back hashes exactly as it was written.
/// </summary>
internal static class AuditNdjson
{
    /// <summary>Value of "kind" on a record line.</summary>
    public const string RecordKind = "record";

    /// <summary>Value of "kind" on a checkpoint line.</summary>
    public const string CheckpointKind = "checkpoint";

    private static readonly string[] StatusNames =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    /// <summary>The canonical gRPC name of a status code ("PERMISSION_DENIED"), or its number.</summary>
    public static string StatusName(StatusCode status) =>
        (int)status >= 0 && (int)status < StatusNames.Length ? StatusNames[(int)status] : ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One line (with its newline) holding whatever <paramref name="write"/> writes as a JSON object.</summary>
    public static byte[] Line(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a record as one JSON object.</summary>
    public static void WriteRecord(Utf8JsonWriter writer, AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        var entry = record.Entry;
        writer.WriteStartObject();
        writer.WriteString("kind", RecordKind);
        writer.WriteNumber("encodingVersion", record.EncodingVersion);
        writer.WriteString("node", record.Node);
        writer.WriteNumber("sequence", record.Sequence);
        writer.WriteString("exchangeId", entry.ExchangeId);
        writer.WriteString("parentExchangeId", entry.ParentExchangeId);
        writer.WriteString("traceId", entry.TraceId);
        writer.WriteString("caller", entry.Caller);
        writer.WriteString("targetRegion", entry.TargetRegion);
        writer.WriteString("targetEndpoint", entry.TargetEndpoint);
        writer.WriteString("service", entry.Service);
        writer.WriteString("method", entry.Method);
        writer.WriteString("purpose", entry.Purpose);
        writer.WriteStartArray("subjectHashes");
        foreach (var subject in entry.SubjectHashes.IsDefault ? [] : entry.SubjectHashes)
        {
            writer.WriteStringValue(subject.Hex);
        }

        writer.WriteEndArray();
        WriteDigest(writer, "request", entry.Request);
        WriteDigest(writer, "response", entry.Response);
        writer.WriteNumber("statusCode", (int)entry.Status);
        writer.WriteString("status", StatusName(entry.Status));
        writer.WriteString("outcome", AuditOutcomeNames.Of(entry.Outcome));
        writer.WriteNumber("attempts", entry.Attempts);
        writer.WriteString("receivedAt", AuditTime.Format(entry.ReceivedAt));
        writer.WriteString("forwardedAt", entry.ForwardedAt is { } forwarded ? AuditTime.Format(forwarded) : null);
        writer.WriteString("answeredAt", AuditTime.Format(entry.AnsweredAt));
        writer.WriteString("previousHash", record.PreviousHash.ToHex());
        writer.WriteString("hash", record.Hash.ToHex());
        writer.WriteEndObject();
    }

    /// <summary>Writes a checkpoint as one JSON object.</summary>
    public static void WriteCheckpoint(Utf8JsonWriter writer, AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(checkpoint);
        writer.WriteStartObject();
        writer.WriteString("kind", CheckpointKind);
        writer.WriteString("node", checkpoint.Node);
        writer.WriteNumber("sequence", checkpoint.Sequence);
        writer.WriteString("recordHash", checkpoint.RecordHash.ToHex());
        writer.WriteString("createdAt", AuditTime.Format(checkpoint.CreatedAt));
        writer.WriteString("keyId", checkpoint.KeyId);
        writer.WriteBase64String("signature", checkpoint.Signature.AsSpan());
        writer.WriteEndObject();
    }

    /// <summary>The record a JSON object holds.</summary>
    /// <exception cref="InvalidDataException">A field is missing or malformed; the message names it.</exception>
    public static AuditRecord ReadRecord(JsonElement json)
    {
        RequireKind(json, RecordKind);
        if (!AuditOutcomeNames.TryParse(String(json, "outcome"), out var outcome))
        {
            throw new InvalidDataException("'outcome' is not known");
        }

        return new AuditRecord
        {
            EncodingVersion = Int32(json, "encodingVersion"),
            Node = String(json, "node"),
            Sequence = Int64(json, "sequence"),
            Entry = new AuditEntry
            {
                ExchangeId = String(json, "exchangeId"),
                ParentExchangeId = OptionalString(json, "parentExchangeId"),
                TraceId = OptionalString(json, "traceId"),
                Caller = String(json, "caller"),
                TargetRegion = OptionalString(json, "targetRegion"),
                TargetEndpoint = OptionalString(json, "targetEndpoint"),
                Service = String(json, "service"),
                Method = String(json, "method"),
                Purpose = String(json, "purpose"),
                SubjectHashes = SubjectHashes(json),
                Request = ReadDigest(json, "request"),
                Response = ReadDigest(json, "response"),
                Status = (StatusCode)Int32(json, "statusCode"),
                Outcome = outcome,
                Attempts = Int32(json, "attempts"),
                ReceivedAt = Time(json, "receivedAt"),
                ForwardedAt = OptionalString(json, "forwardedAt") is null ? null : Time(json, "forwardedAt"),
                AnsweredAt = Time(json, "answeredAt"),
            },
            PreviousHash = Hash(json, "previousHash"),
            Hash = Hash(json, "hash"),
        };
    }

    /// <summary>The checkpoint a JSON object holds.</summary>
    /// <exception cref="InvalidDataException">A field is missing or malformed; the message names it.</exception>
    public static AuditCheckpoint ReadCheckpoint(JsonElement json)
    {
        RequireKind(json, CheckpointKind);
        byte[] signature;
        try
        {
            signature = Property(json, "signature").GetBytesFromBase64();
        }
        catch (FormatException)
        {
            throw new InvalidDataException("'signature' is not base64");
        }

        return new AuditCheckpoint
        {
            Node = String(json, "node"),
            Sequence = Int64(json, "sequence"),
            RecordHash = Hash(json, "recordHash"),
            CreatedAt = Time(json, "createdAt"),
            KeyId = String(json, "keyId"),
            Signature = ImmutableArray.Create(signature),
        };
    }

    /// <summary>The "kind" of a line's object, or null.</summary>
    public static string? KindOf(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String ? kind.GetString() : null;

    /// <summary>A required string.</summary>
    public static string String(JsonElement json, string name) =>
        Property(json, name) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : throw new InvalidDataException($"'{name}' must be a string");

    /// <summary>A required 64-bit integer.</summary>
    public static long Int64(JsonElement json, string name) =>
        Property(json, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number)
            ? number
            : throw new InvalidDataException($"'{name}' must be an integer");

    /// <summary>A required hash (64 hex characters).</summary>
    public static AuditHash Hash(JsonElement json, string name) =>
        AuditHash.TryParse(String(json, name), out var hash) ? hash : throw new InvalidDataException($"'{name}' must be 64 hexadecimal characters");

    /// <summary>A required time in <see cref="AuditTime.TextFormat"/>.</summary>
    public static DateTimeOffset Time(JsonElement json, string name) =>
        AuditTime.TryParse(String(json, name), out var time) ? time : throw new InvalidDataException($"'{name}' must be an RFC 3339 UTC time with microseconds");

    private static void WriteDigest(Utf8JsonWriter writer, string prefix, MessageDigest? digest)
    {
        writer.WriteString(prefix + "Sha256", digest?.Sha256.ToHex());
        if (digest is { } d)
        {
            writer.WriteNumber(prefix + "Size", d.Size);
            writer.WriteNumber(prefix + "Messages", d.Messages);
        }
        else
        {
            writer.WriteNull(prefix + "Size");
            writer.WriteNull(prefix + "Messages");
        }
    }

    private static MessageDigest? ReadDigest(JsonElement json, string prefix) =>
        OptionalString(json, prefix + "Sha256") is null
            ? null
            : new MessageDigest(Hash(json, prefix + "Sha256"), Int64(json, prefix + "Size"), Int32(json, prefix + "Messages"));

    private static ImmutableArray<SubjectHash> SubjectHashes(JsonElement json)
    {
        var array = Property(json, "subjectHashes");
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("'subjectHashes' must be an array");
        }

        var builder = ImmutableArray.CreateBuilder<SubjectHash>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (!SubjectHash.TryParse(item.ValueKind == JsonValueKind.String ? item.GetString() : null, out var hash))
            {
                throw new InvalidDataException("'subjectHashes' must hold 64 lower-case hexadecimal characters each");
            }

            builder.Add(hash);
        }

        return builder.MoveToImmutable();
    }

    private static void RequireKind(JsonElement json, string kind)
    {
        if (!string.Equals(KindOf(json), kind, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'kind' must be \"{kind}\"");
        }
    }

    private static JsonElement Property(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) ? value : throw new InvalidDataException($"'{name}' is missing");

    private static string? OptionalString(JsonElement json, string name) => Property(json, name) switch
    {
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw new InvalidDataException($"'{name}' must be a string or null"),
    };

    private static int Int32(JsonElement json, string name) =>
        Property(json, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number)
            ? number
            : throw new InvalidDataException($"'{name}' must be an integer");
}
