using System.Data.Common;
using Exchange.Gateway.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Exchange.Gateway.Audit;

/// <summary>
/// The shared store: one PostgreSQL schema that every gateway replica writes, each replica its own chain (records
/// keyed by node and sequence). A batch goes in with binary COPY inside one transaction. Each write transaction sets
/// <c>synchronous_commit = on</c> whatever the server's default, so COMMIT returns only once the WAL is flushed.
/// Node ids sort with the "C" collation, so paging by (node, sequence) is the same on every server. The schema and
/// tables are created if missing.
/// </summary>
internal sealed class PostgresAuditStore : SqlAuditStore
{
    // The audit store's own advisory lock for creating its tables (see PostgresSchema); any constant works.
    private const long SchemaLock = 0x3410_2100_A0D1;

    private static readonly NpgsqlDbType[] RecordTypes =
    [
        NpgsqlDbType.Text, NpgsqlDbType.Bigint, NpgsqlDbType.Integer, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text,
        NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text,
        NpgsqlDbType.Text, NpgsqlDbType.Bytea, NpgsqlDbType.Bigint, NpgsqlDbType.Integer, NpgsqlDbType.Bytea, NpgsqlDbType.Bigint,
        NpgsqlDbType.Integer, NpgsqlDbType.Integer, NpgsqlDbType.Text, NpgsqlDbType.Integer, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint,
        NpgsqlDbType.Bigint, NpgsqlDbType.Bytea, NpgsqlDbType.Bytea,
    ];

    private readonly PostgresSchema _schema;

    /// <summary>A store in <paramref name="schema"/> of the database <paramref name="connectionString"/> names.</summary>
    /// <exception cref="ArgumentException">The schema is not a plain lower-case identifier.</exception>
    public PostgresAuditStore(string connectionString, string schema)
    {
        _schema = new PostgresSchema(connectionString, schema, SchemaLock);
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => _schema.DisposeAsync();

    /// <inheritdoc />
    protected override string DurabilitySql => "SELECT current_setting('synchronous_commit')";

    /// <inheritdoc />
    protected override string Table(string name) => _schema.Qualify(name);

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _schema.OpenAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async Task<DbTransaction> BeginDurableAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, transaction, "SET LOCAL synchronous_commit TO on", cancellationToken).ConfigureAwait(false);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    protected override void OnFailure() =>
        // A failed write may have left broken connections in the pool; the next attempt starts afresh.
        _schema.ClearPool();

    /// <inheritdoc />
    protected override async Task InsertRecordsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        var npgsql = (NpgsqlConnection)connection;
        var importer = await npgsql.BeginBinaryImportAsync($"COPY {Records} ({RecordColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var record in records)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                var values = RecordValues(record);
                for (var i = 0; i < values.Length; i++)
                {
                    await WriteAsync(importer, values[i], RecordTypes[i], cancellationToken).ConfigureAwait(false);
                }
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        var subjects = await npgsql.BeginBinaryImportAsync($"COPY {Subjects} (subject_hash, node, sequence) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        await using (subjects.ConfigureAwait(false))
        {
            foreach (var record in records)
            {
                foreach (var subject in record.Entry.SubjectHashes.Select(s => s.Hex).Distinct(StringComparer.Ordinal))
                {
                    await subjects.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await subjects.WriteAsync(subject, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await subjects.WriteAsync(record.Node, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await subjects.WriteAsync(record.Sequence, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                }
            }

            await subjects.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override async Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await _schema.CreateAsync(
            (NpgsqlConnection)connection,
            $"""
            CREATE TABLE IF NOT EXISTS {Records} (
                node text COLLATE "C" NOT NULL,
                sequence bigint NOT NULL,
                encoding_version integer NOT NULL,
                exchange_id text NOT NULL,
                parent_exchange_id text,
                trace_id text,
                caller text NOT NULL,
                target_region text,
                target_endpoint text,
                service text NOT NULL,
                method text NOT NULL,
                purpose text NOT NULL,
                subject_hashes text NOT NULL,
                request_sha256 bytea,
                request_size bigint,
                request_messages integer,
                response_sha256 bytea,
                response_size bigint,
                response_messages integer,
                status_code integer NOT NULL,
                outcome text NOT NULL,
                attempts integer NOT NULL,
                received_at bigint NOT NULL,
                forwarded_at bigint,
                answered_at bigint NOT NULL,
                previous_hash bytea NOT NULL,
                hash bytea NOT NULL,
                PRIMARY KEY (node, sequence));
            CREATE TABLE IF NOT EXISTS {Subjects} (
                subject_hash text NOT NULL,
                node text COLLATE "C" NOT NULL,
                sequence bigint NOT NULL,
                PRIMARY KEY (subject_hash, node, sequence));
            CREATE TABLE IF NOT EXISTS {Checkpoints} (
                node text COLLATE "C" NOT NULL,
                sequence bigint NOT NULL,
                record_hash bytea NOT NULL,
                created_at bigint NOT NULL,
                key_id text NOT NULL,
                signature bytea NOT NULL,
                PRIMARY KEY (node, sequence));
            CREATE TABLE IF NOT EXISTS {Nodes} (
                node text COLLATE "C" NOT NULL PRIMARY KEY,
                archived_through bigint NOT NULL,
                archived_hash bytea NOT NULL,
                touched_at bigint);
            {IndexesSql}
            """,
            cancellationToken).ConfigureAwait(false);

    private static Task WriteAsync(NpgsqlBinaryImporter importer, object? value, NpgsqlDbType type, CancellationToken cancellationToken) => value switch
    {
        null => importer.WriteNullAsync(cancellationToken),
        string text => importer.WriteAsync(text, type, cancellationToken),
        long number => importer.WriteAsync(number, type, cancellationToken),
        int number => importer.WriteAsync(number, type, cancellationToken),
        byte[] bytes => importer.WriteAsync(bytes, type, cancellationToken),
        _ => throw new InvalidOperationException($"no COPY mapping for {value.GetType().Name}"),
    };
}
