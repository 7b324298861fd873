using System.Data.Common;
using Exchange.Gateway.Storage;
using Microsoft.Data.Sqlite;

namespace Exchange.Gateway.Audit;

/// <summary>
/// The embedded store: one SQLite file for a single gateway. WAL journal, so auditors' reads never block the writer.
/// <c>synchronous = FULL</c>: with WAL, NORMAL survives a process crash but may lose the last commits on power loss
/// or an OS crash, because the WAL is not synced at commit; FULL syncs it at every commit, so a record is on stable
/// storage before its exchange is answered. Group commit makes that one fsync per batch, not per exchange.
/// </summary>
internal sealed class SqliteAuditStore : SqlAuditStore
{
    private readonly SqliteFile _file;

    /// <summary>A store in the file <paramref name="path"/> (created, with its directory, by <see cref="InitializeAsync"/>).</summary>
    public SqliteAuditStore(string path)
    {
        _file = new SqliteFile(path, "FULL");
    }

    /// <summary>The database file.</summary>
    public string Path => _file.Path;

    /// <inheritdoc />
    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _file.EnsureDirectory();
        await base.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        _file.ReleasePool();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override string DurabilitySql =>
        "SELECT (SELECT journal_mode FROM pragma_journal_mode) || ',' || (SELECT synchronous FROM pragma_synchronous)";

    /// <inheritdoc />
    protected override string Table(string name) => name;

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _file.OpenAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override Task<DbTransaction> BeginDurableAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // IMMEDIATE: the write lock is taken at BEGIN, so a busy database shows here and not half-way through a batch.
        DbTransaction transaction = ((SqliteConnection)connection).BeginTransaction(deferred: false);
        return Task.FromResult(transaction);
    }

    /// <inheritdoc />
    protected override void OnFailure() => _file.ReleasePool();

    /// <inheritdoc />
    protected override async Task InsertRecordsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        var columns = RecordColumns.Split(", ");
        using var insert = Command(
            connection,
            transaction,
            $"INSERT INTO {Records} ({RecordColumns}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))})",
            [.. columns.Select(c => (c, (object?)null))]);
        using var index = Command(connection, transaction, $"INSERT INTO {Subjects} (subject_hash, node, sequence) VALUES (@subject, @node, @sequence)", ("subject", null), ("node", null), ("sequence", null));
        foreach (var record in records)
        {
            var values = RecordValues(record);
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            foreach (var subject in record.Entry.SubjectHashes.Select(s => s.Hex).Distinct(StringComparer.Ordinal))
            {
                index.Parameters[0].Value = subject;
                index.Parameters[1].Value = record.Node;
                index.Parameters[2].Value = record.Sequence;
                await index.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    protected override async Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            connection,
            null,
            $"""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS {Records} (
                node TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                encoding_version INTEGER NOT NULL,
                exchange_id TEXT NOT NULL,
                parent_exchange_id TEXT,
                trace_id TEXT,
                caller TEXT NOT NULL,
                target_region TEXT,
                target_endpoint TEXT,
                service TEXT NOT NULL,
                method TEXT NOT NULL,
                purpose TEXT NOT NULL,
                subject_hashes TEXT NOT NULL,
                request_sha256 BLOB,
                request_size INTEGER,
                request_messages INTEGER,
                response_sha256 BLOB,
                response_size INTEGER,
                response_messages INTEGER,
                status_code INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                received_at INTEGER NOT NULL,
                forwarded_at INTEGER,
                answered_at INTEGER NOT NULL,
                previous_hash BLOB NOT NULL,
                hash BLOB NOT NULL,
                PRIMARY KEY (node, sequence));
            CREATE INDEX IF NOT EXISTS audit_records_received_at ON {Records} (received_at);
            CREATE INDEX IF NOT EXISTS audit_records_caller ON {Records} (caller, received_at);
            CREATE INDEX IF NOT EXISTS audit_records_method ON {Records} (service, method, received_at);
            CREATE INDEX IF NOT EXISTS audit_records_trace_id ON {Records} (trace_id) WHERE trace_id IS NOT NULL;
            CREATE TABLE IF NOT EXISTS {Subjects} (
                subject_hash TEXT NOT NULL,
                node TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                PRIMARY KEY (subject_hash, node, sequence)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS audit_subjects_record ON {Subjects} (node, sequence);
            CREATE TABLE IF NOT EXISTS {Checkpoints} (
                node TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                record_hash BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                key_id TEXT NOT NULL,
                signature BLOB NOT NULL,
                PRIMARY KEY (node, sequence));
            CREATE TABLE IF NOT EXISTS {Nodes} (
                node TEXT NOT NULL PRIMARY KEY,
                archived_through INTEGER NOT NULL,
                archived_hash BLOB NOT NULL,
                touched_at INTEGER);
            """,
            cancellationToken).ConfigureAwait(false);
}
