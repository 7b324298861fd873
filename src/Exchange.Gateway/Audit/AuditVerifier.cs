namespace Exchange.Gateway.Audit;

/// <summary>
/// Checks each node's chain — archive files first, then the store, as one chain from genesis — and every checkpoint's
/// signature against the given public keys, and names each chain's first bad record and why: a record whose hash does
/// not match its content (a field edited, or records swapped), a record that does not link to its predecessor, a gap
/// (a record deleted), a tail cut off behind a signed checkpoint or the store's archive mark, a forged or altered
/// checkpoint. Records after the last checkpoint are reported as unsigned: a cut there cannot be seen.
/// </summary>
internal sealed class AuditVerifier
{
    private const string StoreLocation = "store";

    private readonly IAuditStore _store;
    private readonly AuditCheckpointKeys _keys;
    private readonly string? _archiveDirectory;

    /// <summary>A verifier of <paramref name="store"/> (and the archives in <paramref name="archiveDirectory"/>, if given).</summary>
    public AuditVerifier(IAuditStore store, AuditCheckpointKeys keys, string? archiveDirectory)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        _store = store;
        _keys = keys;
        _archiveDirectory = archiveDirectory;
    }

    /// <summary>Verifies <paramref name="nodes"/>' chains, or every chain found in the store and the archives.</summary>
    public async Task<AuditVerificationReport> VerifyAsync(IReadOnlyCollection<string>? nodes = null, CancellationToken cancellationToken = default)
    {
        var all = nodes ?? await FindNodesAsync(cancellationToken).ConfigureAwait(false);
        var reports = new List<AuditChainReport>();
        foreach (var node in all.Order(StringComparer.Ordinal))
        {
            reports.Add(await VerifyNodeAsync(node, cancellationToken).ConfigureAwait(false));
        }

        return new AuditVerificationReport(reports);
    }

    /// <summary>Verifies one node's chain.</summary>
    public async Task<AuditChainReport> VerifyNodeAsync(string node, CancellationToken cancellationToken = default)
    {
        var walk = new ChainWalk(node, _keys);
        await foreach (var checkpoint in _store.ReadCheckpointsAsync(node, cancellationToken).ConfigureAwait(false))
        {
            walk.Checkpoint(checkpoint, StoreLocation, adjacent: false);
        }

        var files = _archiveDirectory is null ? [] : AuditArchiveFile.List(_archiveDirectory, node);
        foreach (var path in files)
        {
            if (walk.Stopped)
            {
                break;
            }

            await WalkArchiveAsync(walk, path, cancellationToken).ConfigureAwait(false);
        }

        if (!walk.Stopped)
        {
            try
            {
                await foreach (var record in _store.ReadChainAsync(node, walk.Expected - 1, cancellationToken).ConfigureAwait(false))
                {
                    if (!walk.Record(record, StoreLocation))
                    {
                        break;
                    }
                }
            }
            catch (InvalidDataException exception)
            {
                walk.Fail(walk.Expected, AuditProblemKind.Unreadable, StoreLocation, exception.Message);
            }
        }

        var mark = await _store.ReadArchiveMarkAsync(node, cancellationToken).ConfigureAwait(false);
        return walk.Finish(mark, files.Count);
    }

    private static async Task WalkArchiveAsync(ChainWalk walk, string path, CancellationToken cancellationToken)
    {
        var name = $"archive {walk.Node}/{Path.GetFileName(path)}";
        var started = false;
        var ended = false;
        var lastLine = 0;
        try
        {
            await foreach (var line in AuditArchiveFile.ReadAsync(path, cancellationToken).ConfigureAwait(false))
            {
                lastLine = line.Number;
                var location = $"{name} line {line.Number}";
                if (line.Json is not { } json)
                {
                    walk.Fail(walk.Expected, AuditProblemKind.Unreadable, location, line.Error ?? "not JSON");
                    return;
                }

                if (ended)
                {
                    walk.Fail(walk.Expected, AuditProblemKind.Unreadable, location, "a line follows the trailer");
                    return;
                }

                var kind = AuditNdjson.KindOf(json);
                try
                {
                    if (!started)
                    {
                        if (kind != AuditArchiveFile.HeaderKind)
                        {
                            walk.Fail(walk.Expected, AuditProblemKind.Unreadable, location, "the file does not start with its header");
                            return;
                        }

                        started = true;
                        if (!walk.Header(json, location))
                        {
                            return;
                        }

                        continue;
                    }

                    switch (kind)
                    {
                        case AuditNdjson.RecordKind:
                            if (!walk.Record(AuditNdjson.ReadRecord(json), location))
                            {
                                return;
                            }

                            break;
                        case AuditNdjson.CheckpointKind:
                            walk.Checkpoint(AuditNdjson.ReadCheckpoint(json), location, adjacent: true);
                            if (walk.Stopped)
                            {
                                return;
                            }

                            break;
                        case AuditArchiveFile.TrailerKind:
                            ended = true;
                            if (!walk.Trailer(json, location))
                            {
                                return;
                            }

                            break;
                        default:
                            walk.Fail(walk.Expected, AuditProblemKind.Unreadable, location, $"unknown kind '{kind}'");
                            return;
                    }
                }
                catch (InvalidDataException exception)
                {
                    walk.Fail(walk.Expected, AuditProblemKind.Unreadable, location, exception.Message);
                    return;
                }
            }
        }
        catch (InvalidDataException exception)
        {
            walk.Fail(walk.Expected, AuditProblemKind.Unreadable, $"{name} after line {lastLine}", $"cannot be decompressed: {exception.Message}");
            return;
        }

        if (!ended)
        {
            walk.Fail(walk.Expected, AuditProblemKind.TailTruncated, $"{name} after line {lastLine}", "the file ends without its trailer: it was cut off");
        }
    }

    private async Task<IReadOnlyCollection<string>> FindNodesAsync(CancellationToken cancellationToken)
    {
        var nodes = new HashSet<string>(await _store.ReadNodesAsync(cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        if (_archiveDirectory is not null)
        {
            nodes.UnionWith(AuditArchiveFile.Nodes(_archiveDirectory));
        }

        return nodes;
    }

    /// <summary>The state of one chain's walk: where it is, what is signed ahead, the problems found.</summary>
    private sealed class ChainWalk(string node, AuditCheckpointKeys keys)
    {
        // Valid checkpoints by the sequence they sign, for records not yet walked (and to find a cut tail at the end).
        private readonly Dictionary<long, (AuditHash Hash, string Location)> _signed = [];
        private AuditProblem? _chainProblem;
        private AuditProblem? _checkpointProblem;
        private long _records;
        private long _checkpoints;
        private long _lastSigned;

        public string Node { get; } = node;

        public long Expected { get; private set; } = 1;

        public AuditHash Previous { get; private set; } = AuditHash.Zero;

        public bool Stopped => _chainProblem is not null;

        public void Fail(long sequence, AuditProblemKind kind, string location, string detail) =>
            _chainProblem ??= new AuditProblem(Node, sequence, kind, location, detail);

        public bool Header(System.Text.Json.JsonElement json, string location)
        {
            if (AuditNdjson.String(json, "node") != Node)
            {
                Fail(Expected, AuditProblemKind.Unreadable, location, $"the header names node '{AuditNdjson.String(json, "node")}'");
                return false;
            }

            var first = AuditNdjson.Int64(json, "firstSequence");
            if (first > Expected)
            {
                Fail(Expected, AuditProblemKind.RecordMissing, location, Missing(first));
                return false;
            }

            if (first < Expected)
            {
                Fail(first, AuditProblemKind.RecordOutOfOrder, location, $"the file starts at record {first}, which an earlier file already holds");
                return false;
            }

            if (AuditNdjson.Hash(json, "previousHash") != Previous)
            {
                Fail(first, AuditProblemKind.ChainBroken, location, "the file does not continue the chain where the previous part ended");
                return false;
            }

            return true;
        }

        public bool Trailer(System.Text.Json.JsonElement json, string location)
        {
            var last = AuditNdjson.Int64(json, "lastSequence");
            if (last != Expected - 1 || AuditNdjson.Hash(json, "lastHash") != Previous)
            {
                var sequence = Math.Min(last, Expected - 1) + 1;
                Fail(sequence, last > Expected - 1 ? AuditProblemKind.RecordMissing : AuditProblemKind.RecordAltered, location, $"the trailer says the file ends at record {last} with another hash than the records read");
                return false;
            }

            return true;
        }

        public bool Record(AuditRecord record, string location)
        {
            if (Stopped)
            {
                return false;
            }

            if (record.Sequence > Expected)
            {
                Fail(Expected, AuditProblemKind.RecordMissing, location, Missing(record.Sequence));
                return false;
            }

            if (record.Sequence < Expected)
            {
                Fail(record.Sequence, AuditProblemKind.RecordOutOfOrder, location, $"record {record.Sequence} appears again after record {Expected - 1}");
                return false;
            }

            if (!string.Equals(record.Node, Node, StringComparison.Ordinal))
            {
                Fail(record.Sequence, AuditProblemKind.RecordAltered, location, $"the record names node '{record.Node}'");
                return false;
            }

            AuditHash computed;
            try
            {
                computed = AuditCanonicalEncoding.ComputeHash(record);
            }
            catch (Exception exception) when (exception is NotSupportedException or ArgumentException)
            {
                Fail(record.Sequence, AuditProblemKind.Unreadable, location, exception.Message);
                return false;
            }

            if (computed != record.Hash)
            {
                Fail(record.Sequence, AuditProblemKind.RecordAltered, location, "its hash does not match its content: a field was changed, or the record was moved");
                return false;
            }

            if (record.PreviousHash != Previous)
            {
                Fail(record.Sequence, AuditProblemKind.ChainBroken, location, $"its previous hash does not match record {record.Sequence - 1}: records were reordered, or a predecessor was replaced");
                return false;
            }

            if (_signed.Remove(record.Sequence, out var signed) && signed.Hash != record.Hash)
            {
                Fail(record.Sequence, AuditProblemKind.CheckpointMismatch, location, $"a valid checkpoint ({signed.Location}) signs another hash for this record");
                return false;
            }

            Previous = record.Hash;
            Expected++;
            _records++;
            return true;
        }

        /// <summary>A checkpoint; <paramref name="adjacent"/> when it must sign the record just walked (archive files).</summary>
        public void Checkpoint(AuditCheckpoint checkpoint, string location, bool adjacent)
        {
            string? why = null;
            if (!string.Equals(checkpoint.Node, Node, StringComparison.Ordinal))
            {
                why = $"it names node '{checkpoint.Node}'";
            }
            else if (!keys.Verify(checkpoint, out var problemText))
            {
                why = problemText;
            }

            if (why is not null)
            {
                var problem = new AuditProblem(Node, checkpoint.Sequence, AuditProblemKind.CheckpointInvalid, location, $"the checkpoint of record {checkpoint.Sequence} is invalid: {why}");
                if (_checkpointProblem is null || problem.Sequence < _checkpointProblem.Sequence)
                {
                    _checkpointProblem = problem;
                }

                return;
            }

            _checkpoints++;
            _lastSigned = Math.Max(_lastSigned, checkpoint.Sequence);
            if (adjacent)
            {
                if (checkpoint.Sequence != Expected - 1)
                {
                    Fail(checkpoint.Sequence, AuditProblemKind.CheckpointMismatch, location, $"the checkpoint of record {checkpoint.Sequence} is not next to its record");
                }
                else if (checkpoint.RecordHash != Previous)
                {
                    Fail(checkpoint.Sequence, AuditProblemKind.CheckpointMismatch, location, "a valid checkpoint signs another hash for this record");
                }

                return;
            }

            _signed[checkpoint.Sequence] = (checkpoint.RecordHash, location);
        }

        public AuditChainReport Finish(AuditArchiveMark mark, int archiveFiles)
        {
            var last = Expected - 1;
            if (!Stopped)
            {
                var beyond = _signed.Where(s => s.Key > last).OrderByDescending(s => s.Key).Select(s => (long?)s.Key).FirstOrDefault();
                if (beyond is { } signedSequence)
                {
                    Fail(Expected, AuditProblemKind.TailTruncated, StoreLocation, $"a valid checkpoint signs record {signedSequence}, but the chain ends at record {last}: its tail was removed");
                }
                else if (mark.Sequence > last)
                {
                    Fail(Expected, AuditProblemKind.RecordMissing, StoreLocation, $"the store says records up to {mark.Sequence} were archived, but the chain ends at record {last}: archive files are missing");
                }
            }

            var problem = _chainProblem;
            if (_checkpointProblem is not null && (problem is null || _checkpointProblem.Sequence < problem.Sequence))
            {
                problem = _checkpointProblem;
            }

            return new AuditChainReport(Node, _records, last, _checkpoints, Math.Min(_lastSigned, last), archiveFiles, problem);
        }

        private string Missing(long found) =>
            found == Expected + 1 ? $"record {Expected} is missing" : $"records {Expected} to {found - 1} are missing";
    }
}
