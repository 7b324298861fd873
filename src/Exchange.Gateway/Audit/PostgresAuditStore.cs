using System.Data.Common;
using System.Globalization;
using Exchange.Gateway.Storage;
using Npgsql;
using NpgsqlTypes;
using static System.FormattableString;

namespace Exchange.Gateway.Audit;

/// <summary>
/// The shared store: one PostgreSQL schema that every gateway replica writes, each replica its own chain (records
/// keyed by node and sequence). Each write transaction sets <c>synchronous_commit = on</c> whatever the server's
/// default, so COMMIT returns only once the WAL is flushed. Node ids sort with the "C" collation, so paging by (node,
/// sequence) is the same on every server. The schema and tables are created if missing.
/// </summary>
/// <remarks>
/// A batch of records is written in two round trips, whatever its size: one pipelined batch (BEGIN, the
/// <c>SET LOCAL</c>, the records and their subject-index rows, each table's rows as one <c>INSERT … SELECT FROM
/// unnest(…)</c> of column arrays) and the COMMIT. The database usually sits on another host, and every exchange's
/// answer waits for its batch: binary COPY, one per table, and a <c>SET LOCAL</c> of its own took six round trips
/// (measured, issue 6).
/// </remarks>
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

    private const string Durable = "SET LOCAL synchronous_commit TO on";

    private readonly PostgresSchema _schema;

    /// <summary>A store in <paramref name="schema"/> of the database <paramref name="connectionString"/> names.</summary>
    /// <exception cref="ArgumentException">The schema is not a plain lower-case identifier.</exception>
    public PostgresAuditStore(string connectionString, string schema)
    {
        _schema = new PostgresSchema(connectionString, schema, SchemaLock);
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => _schema.DisposeAsync();

    private string InsertRecordRowsSql => field ??=
        $"INSERT INTO {Records} ({RecordColumns}) SELECT * FROM unnest({string.Join(", ", Enumerable.Range(0, RecordTypes.Length).Select(i => Invariant($"@c{i}")))})";

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
            await ExecuteAsync(connection, transaction, Durable, cancellationToken).ConfigureAwait(false);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>Only BEGIN, which Npgsql sends with the first statement: the <c>SET LOCAL</c> goes in <see cref="InsertRecordsAsync"/>'s batch.</remarks>
    protected override async Task<DbTransaction> BeginAppendAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void OnFailure() =>
        // A failed write may have left broken connections in the pool; the next attempt starts afresh.
        _schema.ClearPool();

    /// <inheritdoc />
    protected override async Task InsertRecordsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        await using (batch.ConfigureAwait(false))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(Durable));
            if (records.Count > 0)
            {
                batch.BatchCommands.Add(RecordRows(records));
                if (SubjectRows(records) is { } subjects)
                {
                    batch.BatchCommands.Add(subjects);
                }
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>The records as one INSERT of column arrays, each column's values in record order.</summary>
    private NpgsqlBatchCommand RecordRows(IReadOnlyList<AuditRecord> records)
    {
        var rows = records.Select(RecordValues).ToArray();
        var command = new NpgsqlBatchCommand(InsertRecordRowsSql);
        for (var column = 0; column < RecordTypes.Length; column++)
        {
            var type = RecordTypes[column];
            command.Parameters.Add(new NpgsqlParameter
            {
                ParameterName = Invariant($"c{column}"),
                NpgsqlDbType = NpgsqlDbType.Array | type,
                Value = ColumnArray(rows, column, type),
            });
        }

        return command;
    }

    /// <summary>The subject-index rows of the records (each subject once per record) as one INSERT, or null when they name nobody.</summary>
    private NpgsqlBatchCommand? SubjectRows(IReadOnlyList<AuditRecord> records)
    {
        var hashes = new List<string>();
        var nodes = new List<string>();
        var sequences = new List<long>();
        foreach (var record in records)
        {
            foreach (var subject in IndexedSubjects(record))
            {
                hashes.Add(subject);
                nodes.Add(record.Node);
                sequences.Add(record.Sequence);
            }
        }

        return hashes.Count == 0
            ? null
            : new NpgsqlBatchCommand($"INSERT INTO {Subjects} (subject_hash, node, sequence) SELECT * FROM unnest(@hashes, @nodes, @sequences)")
            {
                Parameters =
                {
                    new NpgsqlParameter { ParameterName = "hashes", NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = hashes.ToArray() },
                    new NpgsqlParameter { ParameterName = "nodes", NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = nodes.ToArray() },
                    new NpgsqlParameter { ParameterName = "sequences", NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = sequences.ToArray() },
                },
            };
    }

    /// <summary>One column of <paramref name="rows"/> as an array of the CLR type Npgsql writes as <paramref name="type"/>[] (nulls kept).</summary>
    private static Array ColumnArray(object?[][] rows, int column, NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Text => rows.Select(row => (string?)row[column]).ToArray(),
        NpgsqlDbType.Bytea => rows.Select(row => (byte[]?)row[column]).ToArray(),
        NpgsqlDbType.Bigint => rows.Select(row => row[column] is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : (long?)null).ToArray(),
        NpgsqlDbType.Integer => rows.Select(row => row[column] is { } value ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : (int?)null).ToArray(),
        _ => throw new InvalidOperationException($"no array mapping for {type}"),
    };
}
