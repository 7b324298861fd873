using Exchange.Gateway.Audit;

namespace Exchange.Gateway.Tests.Audit;

/// <summary>How <see cref="FaultyAuditStore"/> misbehaves.</summary>
internal enum StoreFault
{
    None,

    /// <summary>Every write throws before anything is written.</summary>
    WritesFail,

    /// <summary>Writes commit, then throw: the connection died after COMMIT, the writer cannot know it took.</summary>
    FailAfterCommit,

    /// <summary>Reads and writes throw.</summary>
    Down,
}

/// <summary>A real store behind a switch that makes it fail the way a lost disk or database does.</summary>
internal sealed class FaultyAuditStore(IAuditStore inner) : IAuditStore
{
    public const string Message = "injected: database is unreachable";

    public StoreFault Fault { get; set; }

    public int Appends { get; private set; }

    /// <summary>When set, every append waits for it (after announcing <see cref="GateReached"/>).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public TaskCompletionSource GateReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Records per successful append that wrote records, in order.</summary>
    public List<int> BatchSizes { get; } = [];

    public Task InitializeAsync(CancellationToken cancellationToken) =>
        Fault == StoreFault.Down ? Task.FromException(new IOException(Message)) : inner.InitializeAsync(cancellationToken);

    public async Task AppendAsync(string node, IReadOnlyList<AuditRecord> records, AuditCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        Appends++;
        if (Gate is { } gate)
        {
            GateReached.TrySetResult();
            await gate.Task;
        }

        switch (Fault)
        {
            case StoreFault.WritesFail or StoreFault.Down:
                throw new IOException(Message);
            case StoreFault.FailAfterCommit:
                await inner.AppendAsync(node, records, checkpoint, cancellationToken);
                throw new IOException(Message);
            default:
                await inner.AppendAsync(node, records, checkpoint, cancellationToken);
                if (records.Count > 0)
                {
                    BatchSizes.Add(records.Count);
                }

                break;
        }
    }

    public Task TouchAsync(string node, DateTimeOffset now, CancellationToken cancellationToken) =>
        Fault is StoreFault.WritesFail or StoreFault.Down ? Task.FromException(new IOException(Message)) : inner.TouchAsync(node, now, cancellationToken);

    public Task<AuditChainHead> ReadHeadAsync(string node, CancellationToken cancellationToken) =>
        Fault == StoreFault.Down ? Task.FromException<AuditChainHead>(new IOException(Message)) : inner.ReadHeadAsync(node, cancellationToken);

    public Task<AuditCheckpoint?> ReadLastCheckpointAsync(string node, CancellationToken cancellationToken) =>
        Fault == StoreFault.Down ? Task.FromException<AuditCheckpoint?>(new IOException(Message)) : inner.ReadLastCheckpointAsync(node, cancellationToken);

    public Task<AuditArchiveMark> ReadArchiveMarkAsync(string node, CancellationToken cancellationToken) =>
        Fault == StoreFault.Down ? Task.FromException<AuditArchiveMark>(new IOException(Message)) : inner.ReadArchiveMarkAsync(node, cancellationToken);

    public Task<IReadOnlyList<string>> ReadNodesAsync(CancellationToken cancellationToken) => inner.ReadNodesAsync(cancellationToken);

    public IAsyncEnumerable<AuditRecord> ReadChainAsync(string node, long afterSequence, CancellationToken cancellationToken) =>
        inner.ReadChainAsync(node, afterSequence, cancellationToken);

    public IAsyncEnumerable<AuditCheckpoint> ReadCheckpointsAsync(string node, CancellationToken cancellationToken) =>
        inner.ReadCheckpointsAsync(node, cancellationToken);

    public Task<bool> RemoveArchivedAsync(AuditArchiveMark previous, AuditArchiveMark mark, CancellationToken cancellationToken) =>
        inner.RemoveArchivedAsync(previous, mark, cancellationToken);

    public Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);

    // The harness owns the inner store.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
