using System.Text.RegularExpressions;
using Npgsql;

namespace Exchange.Gateway.Storage;

/// <summary>
/// One PostgreSQL schema as the gateway's shared stores (the audit trail, the idempotency store) use it: a pooled data
/// source, a schema name checked to be a plain identifier (it is written into SQL), tables qualified with it, and the
/// schema and tables created when missing under an advisory lock, since <c>CREATE … IF NOT EXISTS</c> is not safe
/// against replicas starting together.
/// </summary>
internal sealed partial class PostgresSchema : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly long _creationLock;

    /// <summary>The schema <paramref name="name"/> of the database <paramref name="connectionString"/> names.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="name">The schema: lower-case letters, digits and '_'.</param>
    /// <param name="creationLock">The advisory lock the store takes to create its tables (any constant of its own).</param>
    /// <exception cref="ArgumentException">The name is not a plain lower-case identifier.</exception>
    public PostgresSchema(string connectionString, string name, long creationLock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (!IsName(name))
        {
            throw new ArgumentException($"'{name}' is not a lower-case SQL identifier", nameof(name));
        }

        Name = name;
        _creationLock = creationLock;
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The schema's name.</summary>
    public string Name { get; }

    /// <summary>Whether <paramref name="name"/> may name a store's schema: lower-case letters, digits and '_', at most 63.</summary>
    public static bool IsName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary><paramref name="table"/> as SQL names it in this schema.</summary>
    public string Qualify(string table) => $"\"{Name}\".{table}";

    /// <summary>An open pooled connection.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Drops the pooled connections (a failed write may have left broken ones behind).</summary>
    public void ClearPool() => _dataSource.Clear();

    /// <summary>Creates the schema if missing and runs <paramref name="tables"/> (CREATE … IF NOT EXISTS), in one transaction under the lock.</summary>
    public async Task CreateAsync(NpgsqlConnection connection, string tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
#pragma warning disable CA2100 // Built from the validated schema name and the store's own constant DDL.
            var create = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({_creationLock}); CREATE SCHEMA IF NOT EXISTS \"{Name}\"; {tables}", connection, transaction);
#pragma warning restore CA2100
            await using (create.ConfigureAwait(false))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
