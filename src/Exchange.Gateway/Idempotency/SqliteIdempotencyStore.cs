using System.Data.Common;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Storage;
using Microsoft.Data.Sqlite;

namespace Exchange.Gateway.Idempotency;

/// <summary>
/// The embedded store: one SQLite file, for a single gateway process. WAL journal, so readers never wait for the
/// writer; a busy timeout, so concurrent writers queue instead of failing; each insert-if-absent runs in an IMMEDIATE
/// transaction, which takes the write lock at once. <c>synchronous = NORMAL</c> may lose the last commits on power
/// loss (never on a process crash): a lost entry only means a duplicate is forwarded again under the same
/// request_id, which the partner deduplicates.
/// </summary>
internal sealed class SqliteIdempotencyStore : SqlIdempotencyStore
{
    private readonly SqliteFile _file;

    /// <summary>A store in the file <paramref name="path"/> (created, with its directory, by <see cref="InitializeAsync"/>).</summary>
    public SqliteIdempotencyStore(string path, IdempotencyOptions options, TimeProvider time)
        : base(options, time)
    {
        _file = new SqliteFile(path, "NORMAL");
    }

    /// <summary>The database file.</summary>
    public string Path => _file.Path;

    /// <inheritdoc />
    protected override string Table => TableName;

    /// <inheritdoc />
    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _file.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await base.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        _file.ReleasePool();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _file.OpenAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            connection,
            null,
            $"""
            CREATE TABLE IF NOT EXISTS {TableName} (
                caller TEXT NOT NULL,
                method TEXT NOT NULL,
                request_id TEXT NOT NULL,
                digest BLOB NOT NULL,
                state INTEGER NOT NULL,
                owner TEXT,
                lease_expires_at INTEGER,
                status_code INTEGER,
                response BLOB,
                status_detail TEXT,
                status_details BLOB,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (caller, method, request_id));
            CREATE INDEX IF NOT EXISTS {TableName}_expires_at ON {TableName} (expires_at);
            """,
            cancellationToken).ConfigureAwait(false);
}
