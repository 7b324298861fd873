namespace Exchange.Gateway.Audit;

/// <summary>
/// Where the chains are kept: records, checkpoints, and each node's archive mark. Only <see cref="AuditTrail"/> writes
/// a node's records, and only through <see cref="AppendAsync"/>, whose transaction is durable when it returns.
/// Several nodes may share one store, each with its own chain.
/// </summary>
internal interface IAuditStore : IAsyncDisposable
{
    /// <summary>Creates the schema if missing.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="records"/> (consecutive, continuing the node's chain) and <paramref name="checkpoint"/>
    /// (if any) in one transaction, committed durably (fsync) before the task completes. Fails, writing nothing, if a
    /// record's sequence is already taken.
    /// </summary>
    Task AppendAsync(string node, IReadOnlyList<AuditRecord> records, AuditCheckpoint? checkpoint, CancellationToken cancellationToken);

    /// <summary>A write that changes no chain (the node's last-seen time): proves the store takes writes again.</summary>
    Task TouchAsync(string node, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The last record of the node's chain in the store; else its archive mark; else genesis.</summary>
    Task<AuditChainHead> ReadHeadAsync(string node, CancellationToken cancellationToken);

    /// <summary>The node's latest checkpoint in the store, or null.</summary>
    Task<AuditCheckpoint?> ReadLastCheckpointAsync(string node, CancellationToken cancellationToken);

    /// <summary>How far the node's chain was archived.</summary>
    Task<AuditArchiveMark> ReadArchiveMarkAsync(string node, CancellationToken cancellationToken);

    /// <summary>Every node with records, checkpoints or an archive mark in the store, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ReadNodesAsync(CancellationToken cancellationToken);

    /// <summary>The node's records with a sequence above <paramref name="afterSequence"/>, in sequence order, as stored.</summary>
    IAsyncEnumerable<AuditRecord> ReadChainAsync(string node, long afterSequence, CancellationToken cancellationToken);

    /// <summary>The node's checkpoints in the store, in sequence order.</summary>
    IAsyncEnumerable<AuditCheckpoint> ReadCheckpointsAsync(string node, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: deletes the node's records and checkpoints up to <paramref name="mark"/>'s sequence and
    /// records the mark, if the mark stored is still <paramref name="previous"/>; returns false (changing nothing)
    /// if another archiver moved it.
    /// </summary>
    Task<bool> RemoveArchivedAsync(AuditArchiveMark previous, AuditArchiveMark mark, CancellationToken cancellationToken);

    /// <summary>One page of records matching <paramref name="query"/>.</summary>
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken);
}
