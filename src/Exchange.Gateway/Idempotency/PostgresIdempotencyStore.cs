using System.Data.Common;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Storage;
using Npgsql;

namespace Exchange.Gateway.Idempotency;

/// <summary>
/// The shared store: one PostgreSQL table that every gateway replica uses, so a request_id forwarded by one replica
/// is known to all. <c>INSERT … ON CONFLICT DO NOTHING</c> on the primary key (caller, method, request_id) decides
/// which replica forwards; the others wait for its answer in the table. The schema and table are created if missing.
/// </summary>
/// <remarks>
/// A claim — removing an expired entry, inserting ours, reading what is there — goes as one pipelined batch inside its
/// transaction, then the COMMIT: two round trips before a settlement is forwarded, where one per statement took four.
/// </remarks>
internal sealed class PostgresIdempotencyStore : SqlIdempotencyStore
{
    // The idempotency store's own advisory lock for creating its tables (see PostgresSchema); any constant works.
    private const long SchemaLock = 0x3410_2100_1DE0;

    private readonly PostgresSchema _schema;

    /// <summary>A store in <paramref name="schema"/> of the database <paramref name="connectionString"/> names.</summary>
    /// <exception cref="ArgumentException">The schema is not a plain lower-case identifier.</exception>
    public PostgresIdempotencyStore(string connectionString, string schema, IdempotencyOptions options, TimeProvider time)
        : base(options, time)
    {
        _schema = new PostgresSchema(connectionString, schema, SchemaLock);
    }

    /// <inheritdoc />
    protected override string Table => _schema.Qualify(TableName);

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => _schema.DisposeAsync();

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _schema.OpenAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async Task<(bool Inserted, IdempotencyEntry? Entry)> ClaimAsync(
        DbConnection connection, DbTransaction transaction, IdempotencyKey key, byte[] digest, string owner, long now, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)transaction)
        {
            BatchCommands =
            {
                Statement(DeleteExpiredSql, WithKey(key, ("now", now))),
                Statement(InsertIfAbsentSql, WithKey(key, InsertParameters(digest, owner, now))),
                Statement(SelectSql, WithKey(key, ("now", now))),
            },
        };
        await using (batch.ConfigureAwait(false))
        {
            IdempotencyEntry? entry = null;
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                // The DELETE's and the INSERT's results have no rows; the SELECT's has the entry, if any.
                do
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        entry = ReadEntry(reader);
                    }
                }
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
            }

            return (batch.BatchCommands[1].RecordsAffected == 1, entry);
        }
    }

    /// <inheritdoc />
    protected override async Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await _schema.CreateAsync(
            (NpgsqlConnection)connection,
            $"""
            CREATE TABLE IF NOT EXISTS {Table} (
                caller text NOT NULL,
                method text NOT NULL,
                request_id text NOT NULL,
                digest bytea NOT NULL,
                state integer NOT NULL,
                owner text,
                lease_expires_at bigint,
                status_code integer,
                response bytea,
                status_detail text,
                status_details bytea,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                expires_at bigint NOT NULL,
                PRIMARY KEY (caller, method, request_id));
            CREATE INDEX IF NOT EXISTS {TableName}_expires_at ON {Table} (expires_at);
            """,
            cancellationToken).ConfigureAwait(false);

    private static NpgsqlBatchCommand Statement(string sql, (string Name, object? Value)[] parameters)
    {
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            statement.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        }

        return statement;
    }
}
