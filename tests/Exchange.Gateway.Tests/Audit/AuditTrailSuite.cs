using System.Collections.Immutable;
using Exchange.Gateway.Audit;
using Exchange.Gateway.Tests.Infrastructure;
using Grpc.Core;
using static Exchange.Gateway.Tests.Audit.AuditTestData;

namespace Exchange.Gateway.Tests.Audit;

/// <summary>Group commit, the chain, checkpoints and failing closed, against every store.</summary>
public abstract class AuditTrailSuite : AuditStoreTestBase
{
    [Fact]
    public async Task Append_CompletesWithTheDurableRecordsPlaceInTheChain()
    {
        var store = Harness.OpenStore();
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        await using var trail = await StartedTrailAsync(store, signer, time);
        var entry = Entry(1, time);

        var receipt = await trail.AppendAsync(entry);

        var stored = Assert.Single(await ReadAllAsync(store));
        Assert.Equal(new AuditReceipt(Node, 1, stored.Hash), receipt);
        Assert.Equal(AuditHash.Zero, stored.PreviousHash);
        Assert.Equal(AuditCanonicalEncoding.ComputeHash(stored), stored.Hash);
        Assert.Equal(AuditCanonicalEncoding.Encode(AuditRecord.Create(Node, AuditChainHead.Genesis, entry)), AuditCanonicalEncoding.Encode(stored));
    }

    [Fact]
    public async Task Append_EveryFieldRoundTripsThroughTheStore()
    {
        var store = Harness.OpenStore();
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        using var hasher = new AuditSubjectHasher(SubjectKey);
        await using var trail = await StartedTrailAsync(store, signer, time);
        using var stream = new MessageDigestBuilder();
        stream.Append([1, 2]);
        stream.Append([3]);
        stream.Append([]);
        var full = Entry(1, time) with
        {
            ParentExchangeId = "ex-parent",
            SubjectHashes = [hasher.Hash("11010519491231002X"), hasher.Hash("91310110666007217T")],
            Response = stream.Current(),
            ReceivedAt = new DateTimeOffset(2025, 3, 14, 16, 30, 0, TimeSpan.FromHours(8)).AddTicks(1234567),
        };
        var minimal = new AuditEntry
        {
            ExchangeId = "ex-minimal",
            Caller = "hangzhou-museum",
            Service = "exchange.socialsecurity.v1.SocialSecurityCardService",
            Method = "VerifyCard",
            Status = StatusCode.PermissionDenied,
            Outcome = AuditOutcome.Rejected,
            ReceivedAt = time.GetUtcNow(),
            AnsweredAt = time.GetUtcNow(),
        };

        await trail.AppendAsync(full);
        await trail.AppendAsync(minimal);

        var stored = await ReadAllAsync(store);
        Assert.Equal(2, stored.Count);
        Assert.Equal(Line(full.Normalized()), Line(stored[0].Entry));
        Assert.Equal(Line(minimal.Normalized()), Line(stored[1].Entry));
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 8, 30, 0, TimeSpan.Zero).AddTicks(1234560), stored[0].Entry.ReceivedAt);
        Assert.Equal(3, stored[0].Entry.Response!.Value.Messages);
        Assert.Null(stored[1].Entry.TraceId);
        Assert.Null(stored[1].Entry.Request);
        Assert.Empty(stored[1].Entry.SubjectHashes);

        static string Line(AuditEntry entry) => System.Text.Encoding.UTF8.GetString(AuditNdjson.Line(w =>
            AuditNdjson.WriteRecord(w, new AuditRecord { Node = Node, Sequence = 1, Entry = entry, PreviousHash = default, Hash = default })));
    }

    [Fact]
    public async Task Append_ManyParallelAppends_ShareFlushesAndFormOneContiguousValidChain()
    {
        const int Count = 2000;
        var store = Harness.OpenStore();
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        await using var trail = await StartedTrailAsync(store, signer, time, Options() with { CheckpointEveryRecords = 250 });

        var receipts = await Task.WhenAll(Enumerable.Range(1, Count).Select(i => Task.Run(async () => (i, await trail.AppendAsync(Entry(i, time))))));

        Assert.Equal(Enumerable.Range(1, Count).Select(i => (long)i), receipts.Select(r => r.Item2.Sequence).Order());
        var stored = await ReadAllAsync(store);
        Assert.Equal(Count, stored.Count);
        foreach (var (i, receipt) in receipts)
        {
            var record = stored[(int)receipt.Sequence - 1];
            Assert.Equal($"ex-{i:D6}", record.Entry.ExchangeId);
            Assert.Equal(record.Hash, receipt.Hash);
        }

        Assert.Equal(Count, trail.RecordsWritten);
        Assert.InRange(trail.Flushes, 1, Count - 1);
        using var keys = signer.PublicKeys();
        var report = await new AuditVerifier(store, keys, null).VerifyAsync();
        Assert.True(report.IsValid, string.Join("; ", report.Problems));
        Assert.Equal(Count, Assert.Single(report.Chains).Records);
    }

    [Fact]
    public async Task Append_TwoNodesSharingAStoreInParallel_EachKeepsItsOwnContiguousChain()
    {
        const int Count = 300;
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        var store = Harness.OpenStore();
        await using var first = await StartedTrailAsync(Harness.OpenStore(), signer, time, Options("gw-a") with { CheckpointEveryRecords = 50 });
        await using var second = await StartedTrailAsync(Harness.OpenStore(), signer, time, Options("gw-b") with { CheckpointEveryRecords = 50 });

        await Task.WhenAll(Enumerable.Range(1, Count).Select(i => Task.Run(async () =>
        {
            await first.AppendAsync(Entry(i, time));
            await second.AppendAsync(Entry(i, time));
        })));

        using var keys = signer.PublicKeys();
        var report = await new AuditVerifier(store, keys, null).VerifyAsync();
        Assert.True(report.IsValid, string.Join("; ", report.Problems));
        Assert.Equal([("gw-a", (long)Count), ("gw-b", (long)Count)], report.Chains.Select(c => (c.Node, c.LastSequence)));
    }

    [Fact]
    public async Task Append_WhileAFlushIsRunning_QueuedAppendsGoInBatchesOfAtMostBatchSize()
    {
        const int Count = 1000;
        var faulty = new FaultyAuditStore(Harness.OpenStore());
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        await using var trail = await StartedTrailAsync(faulty, signer, time, Options() with { BatchSize = 100 });
        faulty.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = trail.AppendAsync(Entry(0, time)).AsTask();
        await Within(faulty.GateReached.Task);
        var rest = new Task<AuditReceipt>[Count];
        Parallel.For(0, Count, i => rest[i] = trail.AppendAsync(Entry(i + 1, time)).AsTask());
        faulty.Gate.SetResult();
        await Within(Task.WhenAll([first, .. rest]));

        // The first flush held one record; the thousand queued behind it took ten flushes of a hundred.
        Assert.Equal([1, .. Enumerable.Repeat(100, 10)], faulty.BatchSizes);
        Assert.Equal(11, trail.Flushes);
        Assert.Equal(Enumerable.Range(1, Count + 1).Select(i => (long)i), (await ReadAllAsync(faulty)).Select(r => r.Sequence));
    }

    [Fact]
    public async Task Append_BatchFillsWithinLinger_FlushesAtOnceWithoutWaitingForTheLinger()
    {
        var faulty = new FaultyAuditStore(Harness.OpenStore());
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        await using var trail = await StartedTrailAsync(faulty, signer, time, Options() with { BatchSize = 3, Linger = TimeSpan.FromHours(1) });

        var receipts = await Within(Task.WhenAll(Enumerable.Range(1, 3).Select(i => trail.AppendAsync(Entry(i, time)).AsTask())));

        Assert.Equal([1, 2, 3], receipts.Select(r => r.Sequence).Order());
        Assert.Equal([3], faulty.BatchSizes);
    }

    [Fact]
    public async Task Checkpoint_IsSignedEveryNRecords()
    {
        var store = Harness.OpenStore();
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        await using var trail = await StartedTrailAsync(store, signer, time, Options() with { CheckpointEveryRecords = 5 });

        var receipts = await AppendSequentiallyAsync(trail, time, 12);

        var checkpoints = await ReadCheckpointsAsync(store);
        Assert.Equal([5L, 10L], checkpoints.Select(c => c.Sequence));
        using var keys = signer.PublicKeys();
        foreach (var checkpoint in checkpoints)
        {
            Assert.True(keys.Verify(checkpoint, out var problem), problem);
            Assert.Equal(receipts[(int)checkpoint.Sequence - 1].Hash, checkpoint.RecordHash);
            Assert.Equal(signer.KeyId, checkpoint.KeyId);
        }
    }

    [Fact]
    public async Task Checkpoint_IsSignedWhenTheIntervalPassesWithoutTraffic()
    {
        var store = Harness.OpenStore();
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        await using var trail = await StartedTrailAsync(store, signer, time);
        var written = new TaskCompletionSource<AuditCheckpoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        trail.CheckpointWritten += (_, checkpoint) => written.TrySetResult(checkpoint);
        var receipts = await AppendSequentiallyAsync(trail, time, 3);

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(written.Task.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var checkpoint = await Within(written.Task);

        Assert.Equal(3, checkpoint.Sequence);
        Assert.Equal(receipts[^1].Hash, checkpoint.RecordHash);
        Assert.Equal(Start.AddSeconds(60), checkpoint.CreatedAt);
        var stored = Assert.Single(await ReadCheckpointsAsync(store));
        Assert.Equal((checkpoint.Sequence, checkpoint.RecordHash, checkpoint.CreatedAt), (stored.Sequence, stored.RecordHash, stored.CreatedAt));
        Assert.Equal(checkpoint.Signature, stored.Signature.AsEnumerable());
    }

    [Fact]
    public async Task Stop_SignsTheRecordsNoCheckpointCoversYet()
    {
        var store = Harness.OpenStore();
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        var trail = await StartedTrailAsync(store, signer, time);
        await AppendSequentiallyAsync(trail, time, 3);

        await trail.DisposeAsync();

        Assert.Equal(3, Assert.Single(await ReadCheckpointsAsync(store)).Sequence);
        Assert.Equal(AuditHealthStatus.Stopped, trail.Health.Current.Status);
        await Assert.ThrowsAsync<AuditUnavailableException>(() => trail.AppendAsync(Entry(4, time)).AsTask());
    }

    [Fact]
    public async Task Start_ResumesTheChainWhereTheStoreEnds()
    {
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        await using (var before = await StartedTrailAsync(Harness.OpenStore(), signer, time))
        {
            await AppendSequentiallyAsync(before, time, 3);
        }

        var store = Harness.OpenStore();
        await using var after = await StartedTrailAsync(store, signer, time);
        var receipts = await AppendSequentiallyAsync(after, time, 2, first: 4);

        Assert.Equal([4L, 5L], receipts.Select(r => r.Sequence));
        var stored = await ReadAllAsync(store);
        Assert.Equal(stored[2].Hash, stored[3].PreviousHash);
        using var keys = signer.PublicKeys();
        Assert.True((await new AuditVerifier(store, keys, null).VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task Start_TamperedChain_RefusesToExtendItAndSaysWhere()
    {
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        await using (var before = await StartedTrailAsync(Harness.OpenStore(), signer, time))
        {
            await AppendSequentiallyAsync(before, time, 3);
        }

        await Harness.ExecuteAsync($"UPDATE {{records}} SET caller = 'mallory' WHERE node = '{Node}' AND sequence = 3");
        await using var after = await StartedTrailAsync(Harness.OpenStore(), signer, time);

        Assert.Equal(AuditHealthStatus.Unhealthy, after.Health.Current.Status);
        Assert.Contains($"node '{Node}' is broken at record 3", after.Health.Current.Reason, StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<AuditUnavailableException>(() => after.AppendAsync(Entry(4, time)).AsTask());
        Assert.Contains("broken at record 3", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailClosed_StoreRefusesWrites_AppendsThrowHealthSaysWhyAndTheTrailRecovers()
    {
        var faulty = new FaultyAuditStore(Harness.OpenStore());
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        await using var trail = await StartedTrailAsync(faulty, signer, time);
        await AppendSequentiallyAsync(trail, time, 2);

        faulty.Fault = StoreFault.WritesFail;
        var failed = await Assert.ThrowsAsync<AuditUnavailableException>(() => trail.AppendAsync(Entry(3, time)).AsTask());
        var attempts = faulty.Appends;
        var refused = await Assert.ThrowsAsync<AuditUnavailableException>(() => trail.AppendAsync(Entry(4, time)).AsTask());

        Assert.Contains(FaultyAuditStore.Message, failed.Message, StringComparison.Ordinal);
        Assert.Contains(FaultyAuditStore.Message, refused.Message, StringComparison.Ordinal);
        Assert.Equal(attempts, faulty.Appends);
        Assert.Equal(AuditHealthStatus.Unhealthy, trail.Health.Current.Status);
        Assert.Contains(FaultyAuditStore.Message, trail.Health.Current.Reason, StringComparison.Ordinal);
        var check = await new AuditHealthCheck(trail.Health).CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, check.Status);
        Assert.Contains(FaultyAuditStore.Message, check.Description, StringComparison.Ordinal);

        faulty.Fault = StoreFault.None;
        var healthy = trail.Health.WaitForAsync(AuditHealthStatus.Healthy);
        time.Advance(TimeSpan.FromSeconds(1));
        await Within(healthy);
        var receipt = await trail.AppendAsync(Entry(5, time));

        Assert.Equal(3, receipt.Sequence);
        var stored = await ReadAllAsync(faulty);
        Assert.Equal(["ex-000001", "ex-000002", "ex-000005"], stored.Select(r => r.Entry.ExchangeId));
        using var keys = signer.PublicKeys();
        Assert.True((await new AuditVerifier(faulty, keys, null).VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task FailClosed_CommitOutcomeUnknown_TheRecordIsKeptOnceAndTheChainContinuesAfterIt()
    {
        var faulty = new FaultyAuditStore(Harness.OpenStore());
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        await using var trail = await StartedTrailAsync(faulty, signer, time);
        await AppendSequentiallyAsync(trail, time, 2);

        faulty.Fault = StoreFault.FailAfterCommit;
        await Assert.ThrowsAsync<AuditUnavailableException>(() => trail.AppendAsync(Entry(3, time)).AsTask());
        faulty.Fault = StoreFault.None;
        var healthy = trail.Health.WaitForAsync(AuditHealthStatus.Healthy);
        time.Advance(TimeSpan.FromSeconds(1));
        await Within(healthy);
        var receipt = await trail.AppendAsync(Entry(4, time));

        Assert.Equal(4, receipt.Sequence);
        var stored = await ReadAllAsync(faulty);
        Assert.Equal(["ex-000001", "ex-000002", "ex-000003", "ex-000004"], stored.Select(r => r.Entry.ExchangeId));
        using var keys = signer.PublicKeys();
        Assert.True((await new AuditVerifier(faulty, keys, null).VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task FailClosed_StoreDownAtStart_StartsUnhealthyAndRecoversWhenItIsBack()
    {
        var faulty = new FaultyAuditStore(Harness.OpenStore()) { Fault = StoreFault.Down };
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        await using var trail = await StartedTrailAsync(faulty, signer, time);

        Assert.Equal(AuditHealthStatus.Unhealthy, trail.Health.Current.Status);
        await Assert.ThrowsAsync<AuditUnavailableException>(() => trail.AppendAsync(Entry(1, time)).AsTask());

        faulty.Fault = StoreFault.None;
        var healthy = trail.Health.WaitForAsync(AuditHealthStatus.Healthy);
        time.Advance(TimeSpan.FromSeconds(1));
        await Within(healthy);

        Assert.Equal(1, (await trail.AppendAsync(Entry(2, time))).Sequence);
    }

    [Fact]
    public async Task Append_EntryWithACitizenIdInAnIdentifierField_IsRejectedBeforeItIsQueued()
    {
        var store = Harness.OpenStore();
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        await using var trail = await StartedTrailAsync(store, signer, time);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => trail.AppendAsync(Entry(1, time) with { TargetEndpoint = "https://x/11010519491231002X" }).AsTask());

        Assert.Equal("TargetEndpoint", error.ParamName);
        Assert.Empty(await ReadAllAsync(store));
    }

    [Fact]
    public async Task Append_SubjectsAreStoredAsKeyedHashesOnly()
    {
        var store = Harness.OpenStore();
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        using var hasher = new AuditSubjectHasher(SubjectKey);
        await using var trail = await StartedTrailAsync(store, signer, time);
        var subject = hasher.Hash("11010519491231002X");

        await trail.AppendAsync(Entry(1, time, subjects: ImmutableArray.Create(subject, subject)));

        var dump = await Harness.DumpAsync();
        Assert.Contains(subject.Hex, dump, StringComparison.Ordinal);
        Assert.DoesNotContain("11010519491231002X", dump, StringComparison.Ordinal);
    }
}

public sealed class SqliteAuditTrailTests : AuditTrailSuite
{
    [Fact]
    public async Task Store_CommitsInWalModeWithFullSynchronous()
    {
        var store = (SqliteAuditStore)Harness.OpenStore();
        await store.InitializeAsync(CancellationToken.None);

        // synchronous = 2 is FULL: the WAL is synced at every commit, so a record survives power loss, not only a crash.
        Assert.Equal("wal,2", await store.ReadDurabilityAsync(CancellationToken.None));
    }

    protected override AuditStoreHarness CreateHarness() => new SqliteAuditStoreHarness();
}

public sealed class PostgresAuditTrailTests : AuditTrailSuite
{
    [Fact]
    public async Task FailClosed_DatabaseConnectionLost_AppendsThrowAndTheTrailRecoversWhenItIsBack()
    {
        var postgres = (PostgresAuditStoreHarness)Harness;
        await using var relay = TcpRelay.Start(new Npgsql.NpgsqlConnectionStringBuilder(PostgresAuditStoreHarness.ConnectionString));
        var store = postgres.OpenStoreThroughPort(relay.Port);
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        await using var trail = await StartedTrailAsync(store, signer, time);
        await AppendSequentiallyAsync(trail, time, 2);

        await relay.StopAsync();
        var failed = await Assert.ThrowsAsync<AuditUnavailableException>(() => trail.AppendAsync(Entry(3, time)).AsTask());
        Assert.Equal(AuditHealthStatus.Unhealthy, trail.Health.Current.Status);
        Assert.False(string.IsNullOrEmpty(trail.Health.Current.Reason));
        Assert.NotNull(failed.InnerException);

        relay.Restart();
        var healthy = trail.Health.WaitForAsync(AuditHealthStatus.Healthy);
        time.Advance(TimeSpan.FromSeconds(1));
        await Within(healthy);
        var receipt = await trail.AppendAsync(Entry(4, time));

        Assert.Equal(3, receipt.Sequence);
        var direct = Harness.OpenStore();
        Assert.Equal(["ex-000001", "ex-000002", "ex-000004"], (await ReadAllAsync(direct)).Select(r => r.Entry.ExchangeId));
        using var keys = signer.PublicKeys();
        Assert.True((await new AuditVerifier(direct, keys, null).VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task FailClosed_NothingListensAtTheDatabaseAddress_StartsUnhealthyWithTheReason()
    {
        var store = ((PostgresAuditStoreHarness)Harness).OpenStoreThroughPort(TcpRelay.ClosedPort());
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        await using var trail = await StartedTrailAsync(store, signer, time);

        Assert.Equal(AuditHealthStatus.Unhealthy, trail.Health.Current.Status);
        Assert.Contains("NpgsqlException", trail.Health.Current.Reason, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AuditUnavailableException>(() => trail.AppendAsync(Entry(1, time)).AsTask());
    }

    [Fact]
    public async Task Append_WritesEachBatchInTwoRoundTrips_ItsStatementsInOneAndTheCommit()
    {
        await using var relay = TcpRelay.Start(new Npgsql.NpgsqlConnectionStringBuilder(PostgresAuditStoreHarness.ConnectionString));
        var store = ((PostgresAuditStoreHarness)Harness).OpenStoreThroughPort(relay.Port);
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        using var hasher = new AuditSubjectHasher(SubjectKey);
        await using var trail = await StartedTrailAsync(store, signer, time);
        // The first append opens the pooled connection and loads Npgsql's type information: not what is counted.
        await AppendSequentiallyAsync(trail, time, 1);
        var (roundTrips, flushes) = (relay.RoundTrips, trail.Flushes);

        for (var i = 2; i <= 4; i++)
        {
            await trail.AppendAsync(Entry(i, time, subjects: [hasher.Hash("11010519491231002X"), hasher.Hash("440524188001010014")]));
        }

        Assert.Equal(3, trail.Flushes - flushes);
        Assert.Equal(2 * 3, relay.RoundTrips - roundTrips);
        var direct = Harness.OpenStore();
        Assert.Equal(4, (await ReadAllAsync(direct)).Count);
        var person = await direct.QueryAsync(new AuditQuery { Subject = hasher.Hash("440524188001010014") }, CancellationToken.None);
        Assert.Equal([2L, 3L, 4L], person.Records.Select(r => r.Sequence));
    }

    [Fact]
    public async Task Append_WritesRecordsSubjectsAndCheckpointsUnderSynchronousCommitOn_EvenWhenTheSessionDefaultIsOff()
    {
        var postgres = (PostgresAuditStoreHarness)Harness;
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(PostgresAuditStoreHarness.ConnectionString) { Options = "-c synchronous_commit=off" };
        var store = Harness.Track(new PostgresAuditStore(builder.ToString(), postgres.Schema));
        await store.InitializeAsync(CancellationToken.None);
        // A trigger on each table notes the setting its inserts ran under.
        var seen = $"\"{postgres.Schema}\".seen";
        await Harness.ExecuteAsync($"CREATE TABLE {seen} (tbl text NOT NULL, setting text NOT NULL)");
        await Harness.ExecuteAsync(
            $"CREATE FUNCTION \"{postgres.Schema}\".note_setting() RETURNS trigger LANGUAGE plpgsql AS "
            + $"$$BEGIN INSERT INTO {seen} VALUES (TG_TABLE_NAME, current_setting('synchronous_commit')); RETURN NULL; END$$");
        foreach (var table in new[] { "records", "subjects", "checkpoints" })
        {
            await Harness.ExecuteAsync(
                $"CREATE TRIGGER note_{table} AFTER INSERT ON {{{table}}} FOR EACH STATEMENT EXECUTE FUNCTION \"{postgres.Schema}\".note_setting()");
        }

        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        using var hasher = new AuditSubjectHasher(SubjectKey);
        var trail = await StartedTrailAsync(store, signer, time);
        await trail.AppendAsync(Entry(1, time, subjects: [hasher.Hash("11010519491231002X")]));
        await trail.AppendAsync(Entry(2, time));
        // Stopping writes a checkpoint over both records in a transaction with no records.
        await trail.DisposeAsync();

        await using var connection = new Npgsql.NpgsqlConnection(PostgresAuditStoreHarness.ConnectionString);
        await connection.OpenAsync();
        await using var read = new Npgsql.NpgsqlCommand($"SELECT tbl, setting FROM {seen}", connection);
        var notes = new List<(string Table, string Setting)>();
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                notes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.Equal(["audit_checkpoints", "audit_records", "audit_subjects"], notes.Select(n => n.Table).Distinct().Order(StringComparer.Ordinal));
        Assert.All(notes, note => Assert.Equal("on", note.Setting));
    }

    [Fact]
    public async Task Store_CommitsWithSynchronousCommitOnEvenWhenTheSessionDefaultIsOff()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(PostgresAuditStoreHarness.ConnectionString) { Options = "-c synchronous_commit=off" };
        var store = (PostgresAuditStore)Harness.Track(new PostgresAuditStore(builder.ToString(), ((PostgresAuditStoreHarness)Harness).Schema));
        await store.InitializeAsync(CancellationToken.None);

        Assert.Equal("on", await store.ReadDurabilityAsync(CancellationToken.None));
    }

    protected override AuditStoreHarness CreateHarness() => new PostgresAuditStoreHarness();
}
