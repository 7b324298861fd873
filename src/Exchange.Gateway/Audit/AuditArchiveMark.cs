namespace Exchange.Gateway.Audit;

/// <summary>
/// How far a node's chain has been moved to archive files: the last archived record's sequence and hash, where the
/// records left in the store continue. (0, zero) when nothing was archived.
/// </summary>
/// <param name="Node">The node.</param>
/// <param name="Sequence">Last archived sequence.</param>
/// <param name="Hash">Its hash.</param>
internal sealed record AuditArchiveMark(string Node, long Sequence, AuditHash Hash)
{
    /// <summary>The mark of a node nothing was archived of.</summary>
    public static AuditArchiveMark None(string node) => new(node, 0, AuditHash.Zero);

    /// <summary>The head the store's first record continues.</summary>
    public AuditChainHead Head => new(Sequence, Hash);
}
