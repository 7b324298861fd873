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
/// <remarks>
/// Checkpoints (copying the WAL back into the database) run every second on a connection of their own, PASSIVE, so
/// they never hold up the writer: left to the committing connection, a checkpoint runs inside some batch's commit and
/// that batch's exchanges wait for it. Copying a second's worth at once also writes a page changed by many batches
/// once — the subject index changes pages all over the file. The usual automatic checkpoint stays as a backstop, at a
/// larger WAL, if the timer falls behind.
/// </remarks>
internal sealed class SqliteAuditStore : SqlAuditStore
{
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(1);

    private readonly SqliteFile _file;
    private readonly CancellationTokenSource _stopping = new();
    private Task _checkpoints = Task.CompletedTask;
    private int _disposed;

    /// <summary>A store in the file <paramref name="path"/> (created, with its directory, by <see cref="InitializeAsync"/>).</summary>
    public SqliteAuditStore(string path)
    {
        _file = new SqliteFile(path, "FULL", "PRAGMA wal_autocheckpoint = 20000;");
    }

    /// <summary>The database file.</summary>
    public string Path => _file.Path;

    private string InsertRecordSql => field ??=
        $"INSERT INTO {Records} ({RecordColumns}) VALUES ({string.Join(", ", RecordColumns.Split(", ").Select(_ => "?"))})";

    /// <inheritdoc />
    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _file.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await base.InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (_checkpoints.IsCompleted)
        {
            _checkpoints = CheckpointContinuouslyAsync(_stopping.Token);
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _checkpoints.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        _file.ReleasePool();
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
    protected override Task InsertRecordsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        // SQLite does the work synchronously whatever the API: prepared once per batch, positional parameters.
        var sqlite = (SqliteConnection)connection;
        using var insert = new SqliteStatement(sqlite, InsertRecordSql);
        using var index = new SqliteStatement(sqlite, $"INSERT INTO {Subjects} (subject_hash, node, sequence) VALUES (?, ?, ?)");
        var subjectRow = new object?[3];
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            insert.Execute(RecordValues(record));
            subjectRow[1] = record.Node;
            subjectRow[2] = record.Sequence;
            foreach (var subject in IndexedSubjects(record))
            {
                subjectRow[0] = subject;
                index.Execute(subjectRow);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override async Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            connection,
            null,
            $"""
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
            CREATE TABLE IF NOT EXISTS {Subjects} (
                subject_hash TEXT NOT NULL,
                node TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                PRIMARY KEY (subject_hash, node, sequence)) WITHOUT ROWID;
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
            {IndexesSql}
            """,
            cancellationToken).ConfigureAwait(false);

    private async Task CheckpointContinuouslyAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(CheckpointEvery);
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            try
            {
                var connection = await _file.OpenAsync(stopping).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    using var checkpoint = connection.CreateCommand();
                    checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    await checkpoint.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is SqliteException or IOException)
            {
                // The next tick tries again; meanwhile the writer's automatic checkpoint keeps the WAL bounded.
            }
        }
    }
}
