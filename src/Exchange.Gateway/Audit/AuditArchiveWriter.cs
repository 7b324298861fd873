using System.IO.Compression;

namespace Exchange.Gateway.Audit;

/// <summary>
/// Writes one archive file (<see cref="AuditArchiveFile"/>): to a temporary name, then, once complete and flushed to
/// disk, renamed to its final name, so a file with an archive name is always whole. Refuses records that do not
/// continue the chain it was started at.
/// </summary>
internal sealed class AuditArchiveWriter : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _temporaryPath;
    private readonly FileStream _file;
    private readonly GZipStream _gzip;
    private readonly long _first;
    private long _checkpoints;
    private bool _completed;

    private AuditArchiveWriter(string directory, string temporaryPath, FileStream file, AuditArchiveMark start)
    {
        _directory = directory;
        _temporaryPath = temporaryPath;
        _file = file;
        _gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true);
        Node = start.Node;
        _first = start.Sequence + 1;
        Head = start.Head;
    }

    /// <summary>The node.</summary>
    public string Node { get; }

    /// <summary>The last record written (or where the file starts).</summary>
    public AuditChainHead Head { get; private set; }

    /// <summary>Records written.</summary>
    public long Records => Head.Sequence - _first + 1;

    /// <summary>Starts a file continuing the chain after <paramref name="start"/> in the node's archive directory.</summary>
    public static async Task<AuditArchiveWriter> CreateAsync(string archiveDirectory, AuditArchiveMark start, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var directory = AuditArchiveFile.NodeDirectory(archiveDirectory, start.Node);
        Directory.CreateDirectory(directory);
        var temporaryPath = Path.Combine(directory, $"{start.Sequence + 1:D12}.{Guid.NewGuid():N}.tmp");
        var file = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
        var writer = new AuditArchiveWriter(directory, temporaryPath, file, start);
        try
        {
            await writer.WriteLineAsync(
                AuditNdjson.Line(json =>
                {
                    json.WriteStartObject();
                    json.WriteString("kind", AuditArchiveFile.HeaderKind);
                    json.WriteNumber("formatVersion", AuditArchiveFile.FormatVersion);
                    json.WriteString("node", start.Node);
                    json.WriteNumber("firstSequence", start.Sequence + 1);
                    json.WriteString("previousHash", start.Hash.ToHex());
                    json.WriteString("createdAt", AuditTime.Format(now));
                    json.WriteEndObject();
                }),
                cancellationToken).ConfigureAwait(false);
            return writer;
        }
        catch
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Appends the next record of the chain.</summary>
    /// <exception cref="AuditChainBrokenException">The record does not continue the chain: nothing is archived from a broken chain.</exception>
    public async Task WriteRecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Sequence != Head.Sequence + 1)
        {
            throw new AuditChainBrokenException(Node, Head.Sequence + 1, $"record {Head.Sequence + 1} is missing");
        }

        if (AuditCanonicalEncoding.ComputeHash(record) != record.Hash)
        {
            throw new AuditChainBrokenException(Node, record.Sequence, "its hash does not match its content");
        }

        if (record.PreviousHash != Head.Hash)
        {
            throw new AuditChainBrokenException(Node, record.Sequence, "it does not link to the record before it");
        }

        await WriteLineAsync(AuditNdjson.Line(json => AuditNdjson.WriteRecord(json, record)), cancellationToken).ConfigureAwait(false);
        Head = AuditChainHead.After(record);
    }

    /// <summary>Appends the checkpoint that signs the record just written.</summary>
    public async Task WriteCheckpointAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Sequence != Head.Sequence)
        {
            throw new InvalidOperationException($"checkpoint {checkpoint.Sequence} does not sign the last record written ({Head.Sequence})");
        }

        await WriteLineAsync(AuditNdjson.Line(json => AuditNdjson.WriteCheckpoint(json, checkpoint)), cancellationToken).ConfigureAwait(false);
        _checkpoints++;
    }

    /// <summary>Writes the trailer, flushes the file to disk and gives it its final name, which is returned.</summary>
    public async Task<string> CompleteAsync(CancellationToken cancellationToken)
    {
        if (Records <= 0)
        {
            throw new InvalidOperationException("an archive file holds at least one record");
        }

        var records = Records;
        await WriteLineAsync(
            AuditNdjson.Line(json =>
            {
                json.WriteStartObject();
                json.WriteString("kind", AuditArchiveFile.TrailerKind);
                json.WriteNumber("lastSequence", Head.Sequence);
                json.WriteString("lastHash", Head.Hash.ToHex());
                json.WriteNumber("records", records);
                json.WriteNumber("checkpoints", _checkpoints);
                json.WriteEndObject();
            }),
            cancellationToken).ConfigureAwait(false);
        await _gzip.DisposeAsync().ConfigureAwait(false);
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        // On disk before the store lets go of the records.
        _file.Flush(flushToDisk: true);
        await _file.DisposeAsync().ConfigureAwait(false);
        var path = Path.Combine(_directory, AuditArchiveFile.FileName(_first, Head.Sequence));
        File.Move(_temporaryPath, path, overwrite: true);
        _completed = true;
        return path;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gzip.DisposeAsync().ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
        if (!_completed)
        {
            File.Delete(_temporaryPath);
        }
    }

    private async Task WriteLineAsync(byte[] line, CancellationToken cancellationToken) =>
        await _gzip.WriteAsync(line, cancellationToken).ConfigureAwait(false);
}
