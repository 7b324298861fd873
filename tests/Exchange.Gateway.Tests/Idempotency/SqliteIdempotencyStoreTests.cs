using Exchange.Gateway.Configuration;
using Exchange.Gateway.Idempotency;

namespace Exchange.Gateway.Tests.Idempotency;

/// <summary>The store contract against the embedded SQLite store, in a file of its own.</summary>
public sealed class SqliteIdempotencyStoreTests : IdempotencyStoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("exchange-idempotency-").FullName;

    private string DatabasePath => Path.Combine(_directory, "state", "gateway.db");

    [Fact]
    public async Task Initialize_CreatesTheDirectoryAndAWalJournalledFile()
    {
        await using var store = new SqliteIdempotencyStore(Path.Combine(_directory, "fresh", "nested", "gateway.db"), Options, TimeProvider.System);

        await store.InitializeAsync(CancellationToken.None);

        Assert.True(File.Exists(store.Path));
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store.Path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    private protected override Task<IIdempotencyStore> CreateStoreAsync(IdempotencyOptions options, TimeProvider time) =>
        Task.FromResult<IIdempotencyStore>(new SqliteIdempotencyStore(DatabasePath, options, time));

    private protected override Task<IIdempotencyStore> OpenAnotherAsync(TimeProvider time) =>
        Task.FromResult<IIdempotencyStore>(new SqliteIdempotencyStore(DatabasePath, Options, time));

    private protected override Task DropAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
