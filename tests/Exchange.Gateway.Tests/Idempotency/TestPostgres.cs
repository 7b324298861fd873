using Npgsql;

namespace Exchange.Gateway.Tests.Idempotency;

/// <summary>
/// The PostgreSQL the tests use: <c>EXCHANGE_TEST_POSTGRES</c> (set by .ci/run), else the local development database.
/// Each test class works in a schema of its own, dropped afterwards, so parallel runs never meet.
/// </summary>
internal static class TestPostgres
{
    /// <summary>The connection string.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("EXCHANGE_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Username=exchange;Password=exchange;Database=exchange_test";

    /// <summary>A schema name no other run uses.</summary>
    public static string NewSchema() => $"exchange_test_{Guid.NewGuid():N}";

    /// <summary>Drops <paramref name="schema"/> and everything in it.</summary>
    public static async Task DropSchemaAsync(string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}
