using System.Data.Common;
using System.Text.RegularExpressions;
using Exchange.Gateway.Configuration;
using Npgsql;

namespace Exchange.Gateway.Idempotency;

/// <summary>
/// The shared store: one PostgreSQL table that every gateway replica uses, so a request_id forwarded by one replica
/// is known to all. <c>INSERT … ON CONFLICT DO NOTHING</c> on the primary key (caller, method, request_id) decides
/// which replica forwards; the others wait for its answer in the table. The schema and table are created if missing.
/// </summary>
internal sealed partial class PostgresIdempotencyStore : SqlIdempotencyStore
{
    // Any constant works: it only keeps replicas that start together from creating the schema at the same moment
    // (CREATE … IF NOT EXISTS is not safe against a concurrent CREATE of the same name).
    private const long SchemaLock = 0x3410_2100_1DE0;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;

    /// <summary>A store in <paramref name="schema"/> of the database <paramref name="connectionString"/> names.</summary>
    /// <exception cref="ArgumentException">The schema is not a plain lower-case identifier.</exception>
    public PostgresIdempotencyStore(string connectionString, string schema, IdempotencyOptions options, TimeProvider time)
        : base(options, time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (!IsSchemaName(schema))
        {
            throw new ArgumentException($"'{schema}' is not a lower-case SQL identifier", nameof(schema));
        }

        _schema = schema;
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <inheritdoc />
    protected override string Table => $"\"{_schema}\".{TableName}";

    /// <summary>Whether <paramref name="schema"/> may name the store's schema: lower-case letters, digits and '_', at most 63.</summary>
    public static bool IsSchemaName(string? schema) => schema is not null && SchemaName().IsMatch(schema);

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await ExecuteAsync(
                connection,
                transaction,
                $"""
                SELECT pg_advisory_xact_lock({SchemaLock});
                CREATE SCHEMA IF NOT EXISTS "{_schema}";
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
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
