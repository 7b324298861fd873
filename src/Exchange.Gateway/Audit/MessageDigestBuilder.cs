using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Exchange.Gateway.Audit;

/// <summary>Builds the <see cref="MessageDigest"/> of a stream of messages, one message at a time. Not thread-safe.</summary>
internal sealed class MessageDigestBuilder : IDisposable
{
    private readonly IncrementalHash _framed = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private AuditHash _first;
    private long _size;
    private int _messages;

    /// <summary>Adds the next message.</summary>
    public void Append(ReadOnlySpan<byte> message)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, checked((uint)message.Length));
        _framed.AppendData(length);
        _framed.AppendData(message);
        if (_messages == 0)
        {
            // A stream that turns out to hold one message gets the same digest as a unary message.
            _first = AuditHash.Compute(message);
        }

        _size += message.Length;
        _messages++;
    }

    /// <summary>The digest of the messages so far; the builder can go on after it.</summary>
    public MessageDigest Current() =>
        _messages == 1 ? new MessageDigest(_first, _size, 1) : new MessageDigest(AuditHash.Own(_framed.GetCurrentHash()), _size, _messages);

    /// <summary>
    /// The digest of the messages so far, or null when none has passed: what the record of a stream that ended early
    /// says was sent (a failed exchange that sent nothing records no digest).
    /// </summary>
    public MessageDigest? CurrentOrNone() => _messages > 0 ? Current() : null;

    /// <inheritdoc />
    public void Dispose() => _framed.Dispose();
}
