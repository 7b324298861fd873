namespace Exchange.Gateway.Audit;

/// <summary>What one retention run moved.</summary>
/// <param name="Files">Archive files written (full paths), in chain order.</param>
/// <param name="Records">Records moved out of the store.</param>
internal sealed record AuditRetentionResult(IReadOnlyList<string> Files, long Records);

/// <summary>
/// Moves records received longer ago than the retention period out of the store into archive files that continue
/// the hash chain (<see cref="AuditArchiveFile"/>), with the checkpoints that sign them. Only a prefix of a chain is
/// ever moved, so the store always holds the chain's continuation. Each file is complete and on disk before the
/// store deletes its records and moves the node's archive mark, in one transaction; a run interrupted between the two
/// leaves a file beyond the mark, which the next run removes and writes again. Records are checked link by link while
/// they are written: a broken chain is not archived.
/// </summary>
internal sealed class AuditRetention
{
    private readonly IAuditStore _store;
    private readonly string _archiveDirectory;
    private readonly TimeSpan _period;
    private readonly int _recordsPerFile;
    private readonly string? _node;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Retention of <paramref name="store"/> by <paramref name="options"/> (its archive directory must be resolved).</summary>
    public AuditRetention(IAuditStore store, AuditOptions options, TimeProvider time, ILogger<AuditRetention> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrWhiteSpace(options.ArchiveDirectory))
        {
            throw new ArgumentException("the archive directory must be set", nameof(options));
        }

        _store = store;
        _archiveDirectory = Path.GetFullPath(options.ArchiveDirectory);
        _period = options.RetentionPeriod;
        _recordsPerFile = Math.Max(1, options.ArchiveRecordsPerFile);
        _node = options.NodeId;
        _time = time;
        _logger = logger;
    }

    /// <summary>Archives this gateway's own chain (<see cref="AuditOptions.NodeId"/>).</summary>
    public Task<AuditRetentionResult> RunOnceAsync(CancellationToken cancellationToken) =>
        RunOnceAsync([_node ?? throw new InvalidOperationException("the node id must be set")], cancellationToken);

    /// <summary>
    /// Archives the chains of <paramref name="nodes"/> (a dedicated archiver may take every node of a shared store;
    /// two archivers of one node never both move its mark).
    /// </summary>
    /// <exception cref="AuditChainBrokenException">A chain to archive does not hold together; nothing of it past the break is moved.</exception>
    public async Task<AuditRetentionResult> RunOnceAsync(IEnumerable<string> nodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var cutoff = _time.GetUtcNow() - _period;
        var files = new List<string>();
        long records = 0;
        foreach (var node in nodes)
        {
            while (true)
            {
                var mark = await _store.ReadArchiveMarkAsync(node, cancellationToken).ConfigureAwait(false);
                RemoveLeftovers(node, mark);
                var written = await ArchiveNextAsync(mark, cutoff, cancellationToken).ConfigureAwait(false);
                if (written is null)
                {
                    break;
                }

                var (path, head) = written.Value;
                if (!await _store.RemoveArchivedAsync(mark, new AuditArchiveMark(node, head.Sequence, head.Hash), cancellationToken).ConfigureAwait(false))
                {
                    File.Delete(path);
                    AuditLog.ArchiveRaced(_logger, node);
                    break;
                }

                AuditLog.Archived(_logger, node, mark.Sequence + 1, head.Sequence, path);
                files.Add(path);
                records += head.Sequence - mark.Sequence;
            }
        }

        return new AuditRetentionResult(files, records);
    }

    private async Task<(string Path, AuditChainHead Head)?> ArchiveNextAsync(AuditArchiveMark mark, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var checkpoints = new Dictionary<long, AuditCheckpoint>();
        await foreach (var checkpoint in _store.ReadCheckpointsAsync(mark.Node, cancellationToken).ConfigureAwait(false))
        {
            checkpoints[checkpoint.Sequence] = checkpoint;
        }

        var writer = await AuditArchiveWriter.CreateAsync(_archiveDirectory, mark, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            await foreach (var record in _store.ReadChainAsync(mark.Node, mark.Sequence, cancellationToken).ConfigureAwait(false))
            {
                if (record.Entry.ReceivedAt >= cutoff || writer.Records >= _recordsPerFile)
                {
                    break;
                }

                await writer.WriteRecordAsync(record, cancellationToken).ConfigureAwait(false);
                if (checkpoints.TryGetValue(record.Sequence, out var checkpoint))
                {
                    await writer.WriteCheckpointAsync(checkpoint, cancellationToken).ConfigureAwait(false);
                }
            }

            return writer.Records == 0 ? null : (await writer.CompleteAsync(cancellationToken).ConfigureAwait(false), writer.Head);
        }
    }

    private void RemoveLeftovers(string node, AuditArchiveMark mark)
    {
        var directory = AuditArchiveFile.NodeDirectory(_archiveDirectory, node);
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            var leftover = name.EndsWith(".tmp", StringComparison.Ordinal)
                || (AuditArchiveFile.TryParseFileName(name, out var first, out _) && first > mark.Sequence);
            if (leftover)
            {
                File.Delete(path);
                AuditLog.LeftoverArchiveRemoved(_logger, node, name);
            }
        }
    }
}
