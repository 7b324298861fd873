using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Exchange.Gateway.Audit;

/// <summary>
/// The canonical byte encoding that record hashes and checkpoint signatures are computed over: fixed field order,
/// every variable-length value length-prefixed, so no two different records encode alike and any language can
/// recompute a hash from the stored fields (docs/audit.md has the table).
/// <list type="bullet">
/// <item><c>str</c>: u32 big-endian byte length, then UTF-8 bytes.</item>
/// <item><c>opt&lt;T&gt;</c>: one byte 0 (absent) or 1 followed by T.</item>
/// <item><c>i32</c>, <c>i64</c>: big-endian two's complement; times are i64 microseconds since the Unix epoch (UTC).</item>
/// <item><c>bytes</c>: u32 big-endian length, then the bytes; <c>list&lt;T&gt;</c>: u32 big-endian count, then items.</item>
/// </list>
/// Version 1 of a record: str "exchange.audit.record", i32 1, str node, i64 sequence, str exchange id,
/// opt str parent exchange id, opt str trace id, str caller, opt str target region, opt str target endpoint,
/// str service, str method, str purpose, list str subject hashes, opt digest request, opt digest response
/// (digest = bytes sha256, i64 size, i32 messages), i32 status code, str outcome, i32 attempts, i64 received,
/// opt i64 forwarded, i64 answered, bytes previous hash. The record's hash is SHA-256 of that.
/// A checkpoint: str "exchange.audit.checkpoint", i32 1, str node, i64 sequence, bytes record hash, i64 time.
/// </summary>
internal static class AuditCanonicalEncoding
{
    /// <summary>Version written by this code.</summary>
    public const int CurrentVersion = 1;

    private const string RecordTag = "exchange.audit.record";
    private const string CheckpointTag = "exchange.audit.checkpoint";

    /// <summary>The canonical bytes of <paramref name="record"/> (its own hash excluded).</summary>
    /// <exception cref="NotSupportedException">The record's encoding version is unknown.</exception>
    public static byte[] Encode(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.EncodingVersion != 1)
        {
            throw new NotSupportedException($"audit record encoding version {record.EncodingVersion} is not known");
        }

        var entry = record.Entry;
        var writer = new ArrayBufferWriter<byte>(512);
        String(writer, RecordTag);
        Int32(writer, record.EncodingVersion);
        String(writer, record.Node);
        Int64(writer, record.Sequence);
        String(writer, entry.ExchangeId);
        OptionalString(writer, entry.ParentExchangeId);
        OptionalString(writer, entry.TraceId);
        String(writer, entry.Caller);
        OptionalString(writer, entry.TargetRegion);
        OptionalString(writer, entry.TargetEndpoint);
        String(writer, entry.Service);
        String(writer, entry.Method);
        String(writer, entry.Purpose);
        var subjects = entry.SubjectHashes.IsDefault ? [] : entry.SubjectHashes;
        UInt32(writer, (uint)subjects.Length);
        foreach (var subject in subjects)
        {
            String(writer, subject.Hex);
        }

        OptionalDigest(writer, entry.Request);
        OptionalDigest(writer, entry.Response);
        Int32(writer, (int)entry.Status);
        String(writer, AuditOutcomeNames.Of(entry.Outcome));
        Int32(writer, entry.Attempts);
        Int64(writer, AuditTime.ToUnixMicroseconds(entry.ReceivedAt));
        if (entry.ForwardedAt is { } forwarded)
        {
            Byte(writer, 1);
            Int64(writer, AuditTime.ToUnixMicroseconds(forwarded));
        }
        else
        {
            Byte(writer, 0);
        }

        Int64(writer, AuditTime.ToUnixMicroseconds(entry.AnsweredAt));
        Bytes(writer, record.PreviousHash.Bytes);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>SHA-256 of the canonical bytes of <paramref name="record"/>: what its hash must be.</summary>
    public static AuditHash ComputeHash(AuditRecord record) => AuditHash.Compute(Encode(record));

    /// <summary>The bytes a checkpoint's signature covers.</summary>
    public static byte[] EncodeCheckpoint(string node, long sequence, AuditHash recordHash, DateTimeOffset time)
    {
        var writer = new ArrayBufferWriter<byte>(128);
        String(writer, CheckpointTag);
        Int32(writer, CurrentVersion);
        String(writer, node);
        Int64(writer, sequence);
        Bytes(writer, recordHash.Bytes);
        Int64(writer, AuditTime.ToUnixMicroseconds(time));
        return writer.WrittenSpan.ToArray();
    }

    private static void OptionalDigest(ArrayBufferWriter<byte> writer, MessageDigest? digest)
    {
        if (digest is not { } d)
        {
            Byte(writer, 0);
            return;
        }

        Byte(writer, 1);
        Bytes(writer, d.Sha256.Bytes);
        Int64(writer, d.Size);
        Int32(writer, d.Messages);
    }

    private static void OptionalString(ArrayBufferWriter<byte> writer, string? value)
    {
        if (value is null)
        {
            Byte(writer, 0);
            return;
        }

        Byte(writer, 1);
        String(writer, value);
    }

    private static void String(ArrayBufferWriter<byte> writer, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        UInt32(writer, (uint)length);
        Encoding.UTF8.GetBytes(value, writer.GetSpan(length));
        writer.Advance(length);
    }

    private static void Bytes(ArrayBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        UInt32(writer, (uint)value.Length);
        value.CopyTo(writer.GetSpan(value.Length));
        writer.Advance(value.Length);
    }

    private static void Byte(ArrayBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    private static void UInt32(ArrayBufferWriter<byte> writer, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    private static void Int32(ArrayBufferWriter<byte> writer, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    private static void Int64(ArrayBufferWriter<byte> writer, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }
}
