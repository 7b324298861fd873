namespace Exchange.Gateway.Audit;

/// <summary>What is wrong with a chain at its first bad record.</summary>
internal enum AuditProblemKind
{
    /// <summary>The record's stored hash does not match its content: a field was changed, or the record was moved.</summary>
    RecordAltered,

    /// <summary>The record does not link to the one before it (its previous hash differs).</summary>
    ChainBroken,

    /// <summary>One or more records are missing from this sequence on.</summary>
    RecordMissing,

    /// <summary>A record appears out of sequence order (twice, or before one it should follow).</summary>
    RecordOutOfOrder,

    /// <summary>The chain ends before a record a checkpoint signed, or before the store's archive mark: its tail was cut.</summary>
    TailTruncated,

    /// <summary>A checkpoint's signature does not verify, or its key is unknown: it was altered or forged.</summary>
    CheckpointInvalid,

    /// <summary>A valid checkpoint signs a different hash than the record has.</summary>
    CheckpointMismatch,

    /// <summary>A record, line or file cannot be read.</summary>
    Unreadable,
}

/// <summary>The first bad record of a chain: where, what, and how it was found.</summary>
/// <param name="Node">The node.</param>
/// <param name="Sequence">The first record that is not as it should be.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Location">Where: "store", or "archive {node}/{file} line {n}".</param>
/// <param name="Detail">Explanation for the operator.</param>
internal sealed record AuditProblem(string Node, long Sequence, AuditProblemKind Kind, string Location, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"node {Node}, record {Sequence} ({Location}): {Kind}: {Detail}";
}

/// <summary>The verification of one node's chain.</summary>
/// <param name="Node">The node.</param>
/// <param name="Records">Records verified before the first problem (or all).</param>
/// <param name="LastSequence">Last record verified in order.</param>
/// <param name="Checkpoints">Checkpoints whose signatures verified.</param>
/// <param name="LastSignedSequence">Highest sequence a valid checkpoint signs.</param>
/// <param name="ArchiveFiles">Archive files read.</param>
/// <param name="Problem">The first bad record, or null when the chain is intact.</param>
internal sealed record AuditChainReport(string Node, long Records, long LastSequence, long Checkpoints, long LastSignedSequence, int ArchiveFiles, AuditProblem? Problem)
{
    /// <summary>Records after the last checkpoint: intact as far as the chain shows, but a cut there would not show.</summary>
    public long UnsignedRecords => Math.Max(0, LastSequence - LastSignedSequence);
}

/// <summary>The verification of every chain.</summary>
/// <param name="Chains">One report per node, in ordinal order.</param>
internal sealed record AuditVerificationReport(IReadOnlyList<AuditChainReport> Chains)
{
    /// <summary>Whether every chain is intact.</summary>
    public bool IsValid => Chains.All(c => c.Problem is null);

    /// <summary>The problems, one per bad chain.</summary>
    public IEnumerable<AuditProblem> Problems => Chains.Select(c => c.Problem).OfType<AuditProblem>();
}
