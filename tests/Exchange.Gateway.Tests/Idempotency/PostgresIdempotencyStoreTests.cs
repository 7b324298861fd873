using Exchange.Gateway.Configuration;
using Exchange.Gateway.Idempotency;

namespace Exchange.Gateway.Tests.Idempotency;

/// <summary>The store contract against the shared PostgreSQL store, in a schema of its own (dropped afterwards).</summary>
public sealed class PostgresIdempotencyStoreTests : IdempotencyStoreContract
{
    private readonly string _schema = TestPostgres.NewSchema();

    private protected override Task<IIdempotencyStore> CreateStoreAsync(IdempotencyOptions options, TimeProvider time) =>
        Task.FromResult<IIdempotencyStore>(new PostgresIdempotencyStore(TestPostgres.ConnectionString, _schema, options, time));

    private protected override Task<IIdempotencyStore> OpenAnotherAsync(TimeProvider time) =>
        Task.FromResult<IIdempotencyStore>(new PostgresIdempotencyStore(TestPostgres.ConnectionString, _schema, Options, time));

    private protected override Task DropAsync() => TestPostgres.DropSchemaAsync(_schema);
}
