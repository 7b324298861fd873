using System.Security.Cryptography;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Idempotency;
using Exchange.Gateway.Tests.Infrastructure;
using Npgsql;

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

    [Fact]
    public async Task TryBegin_ClaimsAKeyInTwoRoundTrips_ItsStatementsInOneAndTheCommit()
    {
        await using var relay = TcpRelay.Start(new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString));
        var throughRelay = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Host = "127.0.0.1", Port = relay.Port };
        await using var store = new PostgresIdempotencyStore(throughRelay.ToString(), _schema, Options, TimeProvider.System);
        await store.InitializeAsync(CancellationToken.None);
        var digest = SHA256.HashData("settle 550.00 for visit 42"u8);
        const string Method = "/exchange.medical.v1.CrossRegionSettlementService/Settle";
        // The first claim opens the pooled connection and loads Npgsql's type information: not what is counted.
        await store.TryBeginAsync(new IdempotencyKey("county-hospital", Method, "warm-up"), digest, "node-a/0", CancellationToken.None);
        var before = relay.RoundTrips;

        var key = new IdempotencyKey("county-hospital", Method, "req-1");
        var first = await store.TryBeginAsync(key, digest, "node-a/1", CancellationToken.None);
        var second = await store.TryBeginAsync(key, digest, "node-b/1", CancellationToken.None);

        Assert.Equal(2 * 2, relay.RoundTrips - before);
        Assert.True(first.Acquired);
        Assert.False(second.Acquired);
        Assert.Equal("node-a/1", second.Entry.Owner);
        Assert.Equal(IdempotencyState.InProgress, second.Entry.State);
    }
}
