using System.Data.Common;
using Exchange.Gateway.Audit;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Exchange.Gateway.Tests.Audit;

/// <summary>
/// One database for one test: stores opened on it (several, as after a restart), raw SQL against its tables (for
/// tampering), a dump of every stored value, and clean-up. Table names in SQL are written {records}, {subjects},
/// {checkpoints} and {nodes}.
/// </summary>
public abstract class AuditStoreHarness : IAsyncDisposable
{
    private readonly List<IAuditStore> _stores = [];

    internal IAuditStore OpenStore() => Track(CreateStore());

    internal IAuditStore Track(IAuditStore store)
    {
        _stores.Add(store);
        return store;
    }

    /// <summary>Runs SQL with @name parameters; returns the rows changed.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        var connection = await OpenConnectionAsync();
        await using (connection)
        {
            using var command = Command(connection, Qualify(sql), parameters);
            return await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Every value in every audit table, as text (blobs as hex and as UTF-8).</summary>
    public async Task<string> DumpAsync()
    {
        var dump = new System.Text.StringBuilder();
        var connection = await OpenConnectionAsync();
        await using (connection)
        {
            foreach (var table in new[] { "{records}", "{subjects}", "{checkpoints}", "{nodes}" })
            {
                using var command = connection.CreateCommand();
                command.CommandText = Qualify($"SELECT * FROM {table}");
                using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        var value = reader.GetValue(i);
                        dump.Append(reader.GetName(i)).Append('=');
                        if (value is byte[] bytes)
                        {
                            dump.Append(Convert.ToHexString(bytes)).Append('|').Append(System.Text.Encoding.UTF8.GetString(bytes));
                        }
                        else
                        {
                            dump.Append(System.Globalization.CultureInfo.InvariantCulture, $"{value}");
                        }

                        dump.Append(' ');
                    }

                    dump.AppendLine();
                }
            }
        }

        return dump.ToString();
    }

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    internal abstract IAuditStore CreateStore();

    protected abstract Task<DbConnection> OpenConnectionAsync();

    protected abstract string Qualify(string sql);

    /// <summary>A command running <paramref name="sql"/> with <c>@name</c> parameters (null as SQL NULL).</summary>
    protected static DbCommand Command(DbConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}

/// <summary>A SQLite file in a temporary directory, deleted afterwards.</summary>
public sealed class SqliteAuditStoreHarness : AuditStoreHarness
{
    private readonly string _directory = Directory.CreateTempSubdirectory("exchange-audit-").FullName;

    public string DatabasePath => Path.Combine(_directory, "audit.db");

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    internal override IAuditStore CreateStore() => new SqliteAuditStore(DatabasePath);

    protected override async Task<DbConnection> OpenConnectionAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The steps of SQLite's plan for <paramref name="sql"/> (EXPLAIN QUERY PLAN's detail column).</summary>
    public async Task<IReadOnlyList<string>> ExplainQueryPlanAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        var connection = await OpenConnectionAsync();
        await using (connection)
        {
            using var command = Command(connection, "EXPLAIN QUERY PLAN " + sql, parameters);
            using var reader = await command.ExecuteReaderAsync();
            var plan = new List<string>();
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(reader.GetOrdinal("detail")));
            }

            return plan;
        }
    }

    protected override string Qualify(string sql) => sql
        .Replace("{records}", "audit_records", StringComparison.Ordinal)
        .Replace("{subjects}", "audit_subjects", StringComparison.Ordinal)
        .Replace("{checkpoints}", "audit_checkpoints", StringComparison.Ordinal)
        .Replace("{nodes}", "audit_nodes", StringComparison.Ordinal);
}

/// <summary>
/// A schema of its own in the test database (EXCHANGE_TEST_POSTGRES, default the local PostgreSQL 15 role
/// "exchange"), dropped afterwards.
/// </summary>
public sealed class PostgresAuditStoreHarness : AuditStoreHarness
{
    public const string DefaultConnectionString = "Host=127.0.0.1;Username=exchange;Password=exchange;Database=exchange_test";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("EXCHANGE_TEST_POSTGRES") is { Length: > 0 } configured ? configured : DefaultConnectionString;

    public string Schema { get; } = $"audit_test_{Guid.NewGuid():N}";

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        NpgsqlConnection.ClearAllPools();
    }

    internal override IAuditStore CreateStore() => new PostgresAuditStore(ConnectionString, Schema);

    /// <summary>A store reaching PostgreSQL through <paramref name="port"/> on the loopback address (a relay, or nothing).</summary>
    internal IAuditStore OpenStoreThroughPort(int port)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Host = "127.0.0.1", Port = port, Timeout = 5 };
        return Track(new PostgresAuditStore(builder.ToString(), Schema));
    }

    protected override async Task<DbConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override string Qualify(string sql) => sql
        .Replace("{records}", $"\"{Schema}\".audit_records", StringComparison.Ordinal)
        .Replace("{subjects}", $"\"{Schema}\".audit_subjects", StringComparison.Ordinal)
        .Replace("{checkpoints}", $"\"{Schema}\".audit_checkpoints", StringComparison.Ordinal)
        .Replace("{nodes}", $"\"{Schema}\".audit_nodes", StringComparison.Ordinal);
}
