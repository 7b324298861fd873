using System.Data.Common;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.Sim.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Idempotency;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Idempotency;
using Exchange.Gateway.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Exchange.Gateway.Tests.Faults;

/// <summary>
/// The idempotency store stalls (a long transaction holds the entry's row, a failover, a slow disk) just when the
/// gateway records how a forward ended. The record is "never in the way of the answer" (ExactlyOnce.RecordAsync): the
/// caller must still get, within its deadline, the partner's answer, or ABORTED / OUTCOME_UNKNOWN when there was
/// none. The entry stays in progress meanwhile and is written once the store moves again. Found by the PostgreSQL
/// fault run, where under load some answers reached the caller after its deadline with a 50 ms margin (the default before it was raised to 200 ms).
/// </summary>
[Collection(FaultRuns.Name)]
public sealed class StalledIdempotencyStoreTests
{
    [Theory]
    [InlineData(IdempotencyStoreKind.Sqlite, true, true)]
    [InlineData(IdempotencyStoreKind.Sqlite, false, true)]
    [InlineData(IdempotencyStoreKind.Postgres, true, true)]
    [InlineData(IdempotencyStoreKind.Postgres, false, true)]
    // The same without the stall: answered in time.
    [InlineData(IdempotencyStoreKind.Sqlite, true, false)]
    [InlineData(IdempotencyStoreKind.Postgres, false, false)]
    public async Task Settle_StoreStallsWhenTheOutcomeIsRecorded_TheCallerIsStillAnsweredWithinItsDeadline(IdempotencyStoreKind store, bool partnerAnswers, bool stalls)
    {
        var schema = TestPostgres.NewSchema();
        try
        {
            await using var environment = await GatewayEnvironment.StartAsync(options => store == IdempotencyStoreKind.Postgres
                ? options with
                {
                    Idempotency = new IdempotencyOptions
                    {
                        Store = IdempotencyStoreKind.Postgres, PostgresConnectionString = TestPostgres.ConnectionString, PostgresSchema = schema,
                    },
                }
                : options);
            var region = environment.Regions["310000"];
            var person = Seeded.ActiveEmployee(region.Population, minimumBalance: 100_00);
            var bill = Bill.For(0, "310000", person.CitizenId);
            var key = new IdempotencyKey(TestParticipants.Hospital, Settlements.Path, bill.RequestId);
            var entries = environment.Gateway.Services.GetRequiredService<IIdempotencyStore>();
            var recorded = Settlements.Recorded(region);
            // The partner answers after 1.5 s (time to stall the store first), or never.
            region.Faults.Set(partnerAnswers
                ? new FaultSettings { Latency = Duration.FromTimeSpan(TimeSpan.FromSeconds(1.5)), LatencyRate = 1 }
                : new FaultSettings { BlackHole = true });

            var call = Outcome(Settlements.SendAsync(environment.ChannelFor(TestParticipants.Hospital), bill.Request, DateTime.UtcNow.AddSeconds(4)));
            await UntilAsync(async () => await entries.GetAsync(key, CancellationToken.None) is not null, "the gateway has begun the forward");
            RpcException? error;
            await using (var stall = stalls ? await StallAsync(environment, store, schema, bill.RequestId) : null)
            {
                Assert.Equal(IdempotencyState.InProgress, (await entries.GetAsync(key, CancellationToken.None))!.State);
                // The store moves again only once the call has ended, whichever way.
                error = await call;
            }

            region.Faults.Set(new FaultSettings());
            if (partnerAnswers)
            {
                Assert.Equal(recorded + 1, Settlements.Recorded(region));
                Assert.True(error is null, $"the partner settled the bill and answered within the deadline, but the caller got {error?.StatusCode} '{error?.Status.Detail}'");
            }
            else
            {
                Assert.NotNull(error);
                Assert.True(
                    Endings.Of(error, sideEffecting: true) == Ending.OutcomeUnknown,
                    $"the partner never answered: the caller should get ABORTED/OUTCOME_UNKNOWN within its deadline, but got {error.StatusCode} '{error.Status.Detail}'");
            }
        }
        finally
        {
            if (store == IdempotencyStoreKind.Postgres)
            {
                await TestPostgres.DropSchemaAsync(schema);
            }
        }
    }

    private static async Task<RpcException?> Outcome(Task call)
    {
        try
        {
            await call;
            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after 10 seconds.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            try
            {
                await Task.Delay(10, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"gave up waiting until {what}");
            }
        }
    }

    /// <summary>
    /// Holds what the gateway's next write of the entry needs, until disposed: the row (PostgreSQL, SELECT … FOR
    /// UPDATE in an open transaction) or the database's write lock (SQLite, BEGIN IMMEDIATE).
    /// </summary>
    private static async Task<Stall> StallAsync(GatewayEnvironment environment, IdempotencyStoreKind store, string schema, string requestId)
    {
        DbConnection connection = store == IdempotencyStoreKind.Postgres
            ? new NpgsqlConnection(TestPostgres.ConnectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = environment.Gateway.Options.Idempotency.SqlitePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        var transaction = connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: false) : await connection.BeginTransactionAsync();
        if (store == IdempotencyStoreKind.Postgres)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT state FROM \"{schema}\".idempotency_entries WHERE request_id = @request_id FOR UPDATE";
            command.Parameters.Add(new NpgsqlParameter("request_id", requestId));
            Assert.NotNull(await command.ExecuteScalarAsync());
        }

        return new Stall(connection, transaction);
    }

    private sealed class Stall(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
