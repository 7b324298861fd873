using System.Data;
using System.Data.Common;
using Exchange.Gateway.Configuration;
using Grpc.Core;

namespace Exchange.Gateway.Idempotency;

/// <summary>
/// The store's SQL, one text for SQLite and PostgreSQL: both take <c>@name</c> parameters and
/// <c>INSERT … ON CONFLICT DO NOTHING</c>, which is the lock: of concurrent inserts of one key exactly one succeeds.
/// Every later change is an UPDATE or DELETE conditional on the state (and owner) it expects. Times are Unix
/// milliseconds (UTC) in integer columns, so both databases compare them alike.
/// </summary>
internal abstract class SqlIdempotencyStore(IdempotencyOptions options, TimeProvider time) : IIdempotencyStore, IAsyncDisposable
{
    /// <summary>Name of the table (unqualified).</summary>
    protected const string TableName = "idempotency_entries";

    private const string Columns =
        "caller, method, request_id, digest, state, owner, lease_expires_at, status_code, response, status_detail, status_details, created_at, updated_at, expires_at";

    private const string KeyMatches = "caller = @caller AND method = @method AND request_id = @request_id";

    /// <summary>The table as SQL names it (schema-qualified where the database has schemas).</summary>
    protected abstract string Table { get; }

    /// <inheritdoc />
    public virtual async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await CreateSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IdempotencyBegin> TryBeginAsync(IdempotencyKey key, byte[] digest, string owner, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = Now();
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var (inserted, entry) = await ClaimAsync(connection, transaction, key, digest, owner, now, cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    if (entry is not null)
                    {
                        return new IdempotencyBegin(inserted, entry);
                    }
                }
            }

            // Released by its owner between our insert and our read (PostgreSQL, read committed): look again.
        }
    }

    /// <inheritdoc />
    public async Task<IdempotencyEntry?> GetAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadAsync(connection, null, key, Now(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> CompleteAsync(IdempotencyKey key, string owner, StoredOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var now = Now();
        return await ChangeAsync(
            $"""
            UPDATE {Table} SET state = {(int)IdempotencyState.Completed}, owner = NULL, lease_expires_at = NULL,
                status_code = @status, response = @response, status_detail = @detail, status_details = @details, updated_at = @now, expires_at = @expires
            WHERE {KeyMatches} AND state = {(int)IdempotencyState.InProgress} AND owner = @owner
            """,
            key,
            cancellationToken,
            ("status", (int)outcome.Status),
            ("response", outcome.Response),
            ("detail", outcome.Detail),
            ("details", outcome.StatusDetails),
            ("now", now),
            ("expires", now + Milliseconds(options.Retention)),
            ("owner", owner)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> MarkUnknownAsync(IdempotencyKey key, string owner, CancellationToken cancellationToken)
    {
        var now = Now();
        return await ChangeAsync(
            $"""
            UPDATE {Table} SET state = {(int)IdempotencyState.OutcomeUnknown}, owner = NULL, lease_expires_at = NULL, updated_at = @now, expires_at = @expires
            WHERE {KeyMatches} AND state = {(int)IdempotencyState.InProgress} AND owner = @owner
            """,
            key,
            cancellationToken,
            ("now", now),
            ("expires", now + Milliseconds(options.Retention)),
            ("owner", owner)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseAsync(IdempotencyKey key, string owner, CancellationToken cancellationToken) =>
        await ChangeAsync(
            $"DELETE FROM {Table} WHERE {KeyMatches} AND state = {(int)IdempotencyState.InProgress} AND owner = @owner",
            key,
            cancellationToken,
            ("owner", owner)).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<bool> TryReclaimAsync(IdempotencyKey key, byte[] digest, string owner, CancellationToken cancellationToken)
    {
        var now = Now();
        return await ChangeAsync(
            $"""
            UPDATE {Table} SET state = {(int)IdempotencyState.InProgress}, owner = @owner, lease_expires_at = @lease, updated_at = @now, expires_at = @expires
            WHERE {KeyMatches} AND digest = @digest AND expires_at > @now
                AND (state = {(int)IdempotencyState.OutcomeUnknown} OR (state = {(int)IdempotencyState.InProgress} AND lease_expires_at <= @now))
            """,
            key,
            cancellationToken,
            ("owner", owner),
            ("lease", now + Milliseconds(options.LeaseDuration)),
            ("now", now),
            ("expires", now + Milliseconds(options.Retention)),
            ("digest", digest)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, $"DELETE FROM {Table} WHERE expires_at <= @now", ("now", Now()));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>Removes the key's entry if it has expired (an expired entry counts as absent: it makes way for the new one).</summary>
    protected string DeleteExpiredSql => $"DELETE FROM {Table} WHERE {KeyMatches} AND expires_at <= @now";

    /// <summary>Inserts the caller's in-progress entry unless the key has one: of concurrent inserts exactly one goes in.</summary>
    protected string InsertIfAbsentSql => $"""
        INSERT INTO {Table} ({Columns})
        VALUES (@caller, @method, @request_id, @digest, {(int)IdempotencyState.InProgress}, @owner, @lease, NULL, NULL, NULL, NULL, @now, @now, @expires)
        ON CONFLICT (caller, method, request_id) DO NOTHING
        """;

    /// <summary>Reads the key's entry unless it has expired.</summary>
    protected string SelectSql => $"SELECT {Columns} FROM {Table} WHERE {KeyMatches} AND expires_at > @now";

    /// <summary>
    /// Inside <paramref name="transaction"/>: <see cref="DeleteExpiredSql"/>, <see cref="InsertIfAbsentSql"/>, then
    /// <see cref="SelectSql"/>. Returns whether the insert went in and the entry now there (null when another caller
    /// released it between the insert and the read). One statement after another; a store may send them together.
    /// </summary>
    protected virtual async Task<(bool Inserted, IdempotencyEntry? Entry)> ClaimAsync(
        DbConnection connection, DbTransaction transaction, IdempotencyKey key, byte[] digest, string owner, long now, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, DeleteExpiredSql, key, cancellationToken, ("now", now)).ConfigureAwait(false);
        var inserted = await ExecuteAsync(connection, transaction, InsertIfAbsentSql, key, cancellationToken, InsertParameters(digest, owner, now)).ConfigureAwait(false);
        return (inserted == 1, await ReadAsync(connection, transaction, key, now, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The parameters of <see cref="InsertIfAbsentSql"/> besides the key's.</summary>
    protected (string Name, object? Value)[] InsertParameters(byte[] digest, string owner, long now) =>
    [
        ("digest", digest),
        ("owner", owner),
        ("lease", now + Milliseconds(options.LeaseDuration)),
        ("now", now),
        ("expires", now + Milliseconds(options.Retention)),
    ];

    /// <summary>The key's three parameters (<c>@caller</c>, <c>@method</c>, <c>@request_id</c>) followed by <paramref name="others"/>.</summary>
    protected static (string Name, object? Value)[] WithKey(IdempotencyKey key, params (string Name, object? Value)[] others) =>
        [("caller", key.Caller), ("method", key.Method), ("request_id", key.RequestId), .. others];

    /// <summary>An open connection, set up for the store.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Creates the table (and whatever it lives in) if missing.</summary>
    protected abstract Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Runs statements without parameters.</summary>
    protected static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ChangeAsync(string sql, IdempotencyKey key, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ExecuteAsync(connection, null, sql, key, cancellationToken, parameters).ConfigureAwait(false) == 1;
        }
    }

    private static async Task<int> ExecuteAsync(
        DbConnection connection, DbTransaction? transaction, string sql, IdempotencyKey key, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, WithKey(key, parameters));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IdempotencyEntry?> ReadAsync(DbConnection connection, DbTransaction? transaction, IdempotencyKey key, long now, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, SelectSql, WithKey(key, ("now", now)));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEntry(reader) : null;
        }
    }

    /// <summary>The entry in the current row of a <see cref="SelectSql"/> result.</summary>
    protected static IdempotencyEntry ReadEntry(DbDataReader row)
    {
        var state = (IdempotencyState)row.GetInt32(4);
        return new IdempotencyEntry(
            new IdempotencyKey(row.GetString(0), row.GetString(1), row.GetString(2)),
            row.GetFieldValue<byte[]>(3),
            state,
            row.IsDBNull(5) ? null : row.GetString(5),
            row.IsDBNull(6) ? null : Time(row.GetInt64(6)),
            state == IdempotencyState.Completed
                ? StoredOutcome.FromStore(
                    (StatusCode)row.GetInt32(7),
                    row.IsDBNull(8) ? null : row.GetFieldValue<byte[]>(8),
                    row.IsDBNull(9) ? null : row.GetString(9),
                    row.IsDBNull(10) ? null : row.GetFieldValue<byte[]>(10))
                : null,
            Time(row.GetInt64(11)),
            Time(row.GetInt64(12)),
            Time(row.GetInt64(13)));
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // The text is built from constants and the validated table name; every value is a parameter.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            // Named as the SQL writes it: an unprefixed name makes Microsoft.Data.Sqlite try each prefix in turn at
            // every execution (a string scan over all the statement's parameters per try). Npgsql accepts either.
            parameter.ParameterName = "@" + name;
            (parameter.DbType, parameter.Value) = value switch
            {
                null => (DbType.Binary, DBNull.Value),
                string s => (DbType.String, s),
                byte[] b => (DbType.Binary, b),
                int i => (DbType.Int32, i),
                long l => (DbType.Int64, (object)l),
                _ => throw new ArgumentException($"no mapping for a {value.GetType().Name} parameter", nameof(parameters)),
            };
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static long Milliseconds(TimeSpan span) => (long)span.TotalMilliseconds;

    private static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
}
