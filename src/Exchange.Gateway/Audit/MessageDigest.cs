namespace Exchange.Gateway.Audit;

/// <summary>
/// What the audit record keeps of a request or response: its SHA-256, its size and how many messages it was — never
/// its content. For one message (unary) the digest is SHA-256 of the message bytes; for any other count (streams)
/// it is SHA-256 of the messages each preceded by its length as a 4-byte big-endian integer.
/// </summary>
/// <param name="Sha256">The digest.</param>
/// <param name="Size">Total bytes of the messages (without the length prefixes).</param>
/// <param name="Messages">Number of messages.</param>
internal readonly record struct MessageDigest(AuditHash Sha256, long Size, int Messages)
{
    /// <summary>The digest of one message.</summary>
    public static MessageDigest Of(ReadOnlySpan<byte> message) => new(AuditHash.Compute(message), message.Length, 1);
}
