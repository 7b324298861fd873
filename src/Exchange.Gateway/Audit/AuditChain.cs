namespace Exchange.Gateway.Audit;

/// <summary>
/// One node's hash chain: hash(n) = SHA-256(canonical(record n)), whose encoding includes hash(n − 1); the first
/// record's previous hash is all zero. The chain hands out records linked after its head, and moves its head only
/// once they are durable (<see cref="Advance"/>), so a failed write leaves it where the store is. Not thread-safe:
/// its one user is the trail's writer loop.
/// </summary>
internal sealed class AuditChain
{
    /// <summary>A chain of <paramref name="node"/> continuing after <paramref name="head"/>.</summary>
    public AuditChain(string node, AuditChainHead head)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        Node = node;
        Head = head;
    }

    /// <summary>The node.</summary>
    public string Node { get; }

    /// <summary>The last durable record's sequence and hash.</summary>
    public AuditChainHead Head { get; private set; }

    /// <summary>The store's latest checkpoint of this chain when it was resumed, or null.</summary>
    public AuditCheckpoint? LastCheckpoint { get; private init; }

    /// <summary>How far the chain was archived when it was resumed.</summary>
    public AuditArchiveMark? ArchiveMark { get; private init; }

    /// <summary>
    /// Resumes the chain from the store: from its last record (or archive mark, or genesis). Refuses to continue a
    /// broken chain: the records after the last checkpoint (those no signature covers yet) are re-hashed and their
    /// links checked, and the checkpoint's signature is checked when <paramref name="keys"/> knows its key.
    /// </summary>
    /// <exception cref="AuditChainBrokenException">The stored chain does not hold together.</exception>
    public static async Task<AuditChain> ResumeAsync(IAuditStore store, string node, AuditCheckpointKeys? keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var mark = await store.ReadArchiveMarkAsync(node, cancellationToken).ConfigureAwait(false);
        var checkpoint = await store.ReadLastCheckpointAsync(node, cancellationToken).ConfigureAwait(false);
        var head = await store.ReadHeadAsync(node, cancellationToken).ConfigureAwait(false);
        if (checkpoint is not null && keys is not null && keys.KeyIds.Contains(checkpoint.KeyId) && !keys.Verify(checkpoint, out var problem))
        {
            throw new AuditChainBrokenException(node, checkpoint.Sequence, $"its last checkpoint is not valid: {problem}");
        }

        // Start at the signed record (whose hash the checkpoint vouches for) or where the archive ends.
        var signed = checkpoint is not null && checkpoint.Sequence > mark.Sequence ? checkpoint : null;
        var expected = signed?.Sequence ?? mark.Sequence + 1;
        var previous = mark.Hash;
        var walked = new AuditChainHead(mark.Sequence, mark.Hash);
        await foreach (var record in store.ReadChainAsync(node, expected - 1, cancellationToken).ConfigureAwait(false))
        {
            if (record.Sequence != expected)
            {
                throw new AuditChainBrokenException(node, expected, $"record {expected} is missing");
            }

            if (AuditCanonicalEncoding.ComputeHash(record) != record.Hash)
            {
                throw new AuditChainBrokenException(node, record.Sequence, "its hash does not match its content");
            }

            var linked = signed is not null && record.Sequence == signed.Sequence ? record.Hash == signed.RecordHash : record.PreviousHash == previous;
            if (!linked)
            {
                throw new AuditChainBrokenException(node, record.Sequence, "it does not link to the record before it");
            }

            previous = record.Hash;
            walked = AuditChainHead.After(record);
            expected++;
        }

        if (signed is not null && walked.Sequence < signed.Sequence)
        {
            throw new AuditChainBrokenException(node, walked.Sequence + 1, $"a checkpoint signs record {signed.Sequence}, but the chain ends at {walked.Sequence}");
        }

        if (walked != head)
        {
            // Written to between the reads (another writer on this node id): not a chain this writer may continue.
            throw new AuditChainBrokenException(node, head.Sequence, "the chain changed while it was being resumed; is another gateway using this node id?");
        }

        return new AuditChain(node, head) { LastCheckpoint = checkpoint, ArchiveMark = mark };
    }

    /// <summary>Records for <paramref name="entries"/>, linked in order after <see cref="Head"/>; the head does not move.</summary>
    public IReadOnlyList<AuditRecord> Link(IReadOnlyList<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var records = new AuditRecord[entries.Count];
        var head = Head;
        for (var i = 0; i < entries.Count; i++)
        {
            records[i] = AuditRecord.Create(Node, head, entries[i]);
            head = AuditChainHead.After(records[i]);
        }

        return records;
    }

    /// <summary>Moves the head past <paramref name="records"/>, which were linked after it and are now durable.</summary>
    /// <exception cref="InvalidOperationException">The records do not continue the head.</exception>
    public void Advance(IReadOnlyList<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        if (records[0].Sequence != Head.Sequence + 1 || records[0].PreviousHash != Head.Hash)
        {
            throw new InvalidOperationException($"records from {records[0].Sequence} do not continue the chain of '{Node}' at {Head.Sequence}");
        }

        Head = AuditChainHead.After(records[^1]);
    }
}
