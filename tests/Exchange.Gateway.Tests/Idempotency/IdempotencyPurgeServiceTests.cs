using System.Security.Cryptography;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Idempotency;
using Exchange.Gateway.Tests.Forwarding;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Exchange.Gateway.Tests.Idempotency;

/// <summary>The background purge: expired entries go at start and at every interval after; live ones stay.</summary>
public sealed class IdempotencyPurgeServiceTests : IDisposable
{
    private static readonly byte[] Digest = SHA256.HashData("bill"u8);

    private readonly string _directory = Directory.CreateTempSubdirectory("exchange-purge-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 1, 30, 0, TimeSpan.Zero));

    private string DatabasePath => Path.Combine(_directory, "gateway.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Service_PurgesExpiredEntriesAtStartAndEveryInterval()
    {
        await using var store = new SqliteIdempotencyStore(DatabasePath, new IdempotencyOptions(), _time);
        await store.InitializeAsync(CancellationToken.None);
        var options = new GatewayOptions { Idempotency = new IdempotencyOptions { PurgeInterval = TimeSpan.FromHours(1) } };
        await AddAsync(store, "H34102100001202506010930000001");
        _time.Advance(TimeSpan.FromMinutes(30));
        await AddAsync(store, "H34102100001202506010930000002");
        _time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(30));
        using var service = new IdempotencyPurgeService(store, options, _time, NullLogger<IdempotencyPurgeService>.Instance);

        await service.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.True(() => Rows() == 1, "the entry past its retention is purged at start");
            _time.Advance(TimeSpan.FromHours(1));
            await Eventually.True(() => Rows() == 0, "the second entry is purged at the next interval");
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private static async Task AddAsync(SqliteIdempotencyStore store, string requestId)
    {
        var key = new IdempotencyKey("county-hospital", "/exchange.medical.v1.CrossRegionSettlementService/Settle", requestId);
        await store.TryBeginAsync(key, Digest, "gateway-a/1", CancellationToken.None);
        await store.CompleteAsync(key, "gateway-a/1", StoredOutcome.Ok([1]), CancellationToken.None);
    }

    private long Rows()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM idempotency_entries";
        return (long)command.ExecuteScalar()!;
    }
}
