using Exchange.Gateway.Audit;
using static Exchange.Gateway.Tests.Audit.AuditTestData;

namespace Exchange.Gateway.Tests.Audit;

/// <summary>
/// A stored trail of twelve records with checkpoints at 5, 10 and 12 (the last one signed at stop), tampered with
/// in SQL the way someone with database access could; the verifier must name the first bad record.
/// </summary>
public abstract class AuditTamperingSuite : AuditStoreTestBase
{
    private AuditCheckpointSigner _signer = null!;
    private IAuditStore _store = null!;

    [Fact]
    public async Task Verify_IntactTrail_IsValidWithEveryRecordSigned()
    {
        await WriteTrailAsync();

        var chain = Assert.Single((await VerifyAsync()).Chains);

        Assert.Null(chain.Problem);
        Assert.Equal((Node, 12L, 12L, 3L, 12L, 0L), (chain.Node, chain.Records, chain.LastSequence, chain.Checkpoints, chain.LastSignedSequence, chain.UnsignedRecords));
    }

    [Theory]
    [InlineData("caller = 'mallory'")]
    [InlineData("status_code = 13")]
    [InlineData("outcome = 'rejected'")]
    [InlineData("purpose = 'PURPOSE_OF_USE_AUDIT'")]
    [InlineData("attempts = attempts + 1")]
    [InlineData("received_at = received_at - 1")]
    [InlineData("target_region = '330000'")]
    [InlineData("exchange_id = 'ex-forged'")]
    [InlineData("trace_id = NULL")]
    [InlineData("subject_hashes = '" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'")]
    public async Task Verify_FieldEdited_NamesThatRecord(string change)
    {
        await WriteTrailAsync();
        Assert.Equal(1, await Harness.ExecuteAsync($"UPDATE {{records}} SET {change} WHERE node = '{Node}' AND sequence = 7"));

        var problem = await FirstProblemAsync();

        Assert.Equal((7L, AuditProblemKind.RecordAltered, "store"), (problem.Sequence, problem.Kind, problem.Location));
    }

    [Fact]
    public async Task Verify_DigestEdited_NamesThatRecord()
    {
        await WriteTrailAsync();
        await Harness.ExecuteAsync($"UPDATE {{records}} SET request_sha256 = @digest WHERE node = '{Node}' AND sequence = 2", ("digest", new byte[32]));

        var problem = await FirstProblemAsync();

        Assert.Equal((2L, AuditProblemKind.RecordAltered), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task Verify_RecordDeleted_NamesTheMissingRecord()
    {
        await WriteTrailAsync();
        await Harness.ExecuteAsync($"DELETE FROM {{records}} WHERE node = '{Node}' AND sequence = 4");

        var problem = await FirstProblemAsync();

        Assert.Equal((4L, AuditProblemKind.RecordMissing), (problem.Sequence, problem.Kind));
        Assert.Contains("record 4 is missing", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TwoRecordsSwapped_NamesTheFirstOfThem()
    {
        await WriteTrailAsync();
        await Harness.ExecuteAsync($"UPDATE {{records}} SET sequence = -6 WHERE node = '{Node}' AND sequence = 6");
        await Harness.ExecuteAsync($"UPDATE {{records}} SET sequence = 6 WHERE node = '{Node}' AND sequence = 7");
        await Harness.ExecuteAsync($"UPDATE {{records}} SET sequence = 7 WHERE node = '{Node}' AND sequence = -6");

        var problem = await FirstProblemAsync();

        Assert.Equal((6L, AuditProblemKind.RecordAltered), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task Verify_TailTruncatedWithItsLastCheckpoint_AnEarlierCheckpointPointsPastTheEnd()
    {
        await WriteTrailAsync();
        await Harness.ExecuteAsync($"DELETE FROM {{records}} WHERE node = '{Node}' AND sequence > 8");
        await Harness.ExecuteAsync($"DELETE FROM {{checkpoints}} WHERE node = '{Node}' AND sequence > 10");

        var problem = await FirstProblemAsync();

        Assert.Equal((9L, AuditProblemKind.TailTruncated), (problem.Sequence, problem.Kind));
        Assert.Contains("signs record 10, but the chain ends at record 8", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CheckpointReplacedWithOneSignedByAnotherKey_IsInvalid()
    {
        await WriteTrailAsync();
        using var forger = AuditCheckpointSigner.CreateEphemeral();
        var genuine = (await ReadCheckpointsAsync(_store)).Single(c => c.Sequence == 10);
        var forged = forger.Sign(Node, 10, genuine.RecordHash, genuine.CreatedAt);
        await Harness.ExecuteAsync(
            $"UPDATE {{checkpoints}} SET key_id = @key, signature = @signature WHERE node = '{Node}' AND sequence = 10",
            ("key", forged.KeyId),
            ("signature", forged.Signature.ToArray()));

        var problem = await FirstProblemAsync();

        Assert.Equal((10L, AuditProblemKind.CheckpointInvalid), (problem.Sequence, problem.Kind));
        Assert.Contains("unknown key", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CheckpointSignedByAnotherKeyUnderTheRealKeyId_IsInvalid()
    {
        await WriteTrailAsync();
        using var forger = AuditCheckpointSigner.CreateEphemeral();
        var genuine = (await ReadCheckpointsAsync(_store)).Single(c => c.Sequence == 5);
        var forged = forger.Sign(Node, 5, genuine.RecordHash, genuine.CreatedAt);
        await Harness.ExecuteAsync($"UPDATE {{checkpoints}} SET signature = @signature WHERE node = '{Node}' AND sequence = 5", ("signature", forged.Signature.ToArray()));

        var problem = await FirstProblemAsync();

        Assert.Equal((5L, AuditProblemKind.CheckpointInvalid), (problem.Sequence, problem.Kind));
        Assert.Contains("does not verify", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("created_at = created_at + 1", 10)]
    [InlineData("sequence = 9", 9)]
    [InlineData("record_hash = @zero", 10)]
    public async Task Verify_CheckpointAltered_IsInvalid(string change, long expected)
    {
        await WriteTrailAsync();
        await Harness.ExecuteAsync($"UPDATE {{checkpoints}} SET {change} WHERE node = '{Node}' AND sequence = 10", ("zero", new byte[32]));

        var problem = await FirstProblemAsync();

        Assert.Equal((expected, AuditProblemKind.CheckpointInvalid), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task Verify_ChainRewrittenFromARecordWithFreshHashes_CaughtAtTheNextCheckpoint()
    {
        await WriteTrailAsync();
        var records = await ReadAllAsync(_store);
        var previous = records[5].Hash;
        foreach (var original in records.Skip(6))
        {
            // Record 7 edited, then it and every later record re-hashed so that the links hold.
            var entry = original.Sequence == 7 ? original.Entry with { Caller = "mallory" } : original.Entry;
            var rewritten = AuditRecord.Create(Node, new AuditChainHead(original.Sequence - 1, previous), entry);
            await Harness.ExecuteAsync(
                $"UPDATE {{records}} SET caller = @caller, previous_hash = @previous, hash = @hash WHERE node = '{Node}' AND sequence = @sequence",
                ("caller", entry.Caller),
                ("previous", rewritten.PreviousHash.ToArray()),
                ("hash", rewritten.Hash.ToArray()),
                ("sequence", rewritten.Sequence));
            previous = rewritten.Hash;
        }

        var problem = await FirstProblemAsync();

        Assert.Equal((10L, AuditProblemKind.CheckpointMismatch), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task Verify_TwoNodesInOneStore_EachChainIsVerifiedOnItsOwn()
    {
        await WriteTrailAsync();
        var time = Clock();
        await using (var other = await StartedTrailAsync(_store, _signer, time, Options("gw-test-2")))
        {
            await AppendSequentiallyAsync(other, time, 4);
        }

        await Harness.ExecuteAsync($"UPDATE {{records}} SET caller = 'mallory' WHERE node = 'gw-test-2' AND sequence = 2");

        var report = await VerifyAsync();

        Assert.Equal([Node, "gw-test-2"], report.Chains.Select(c => c.Node));
        Assert.Null(report.Chains[0].Problem);
        Assert.Equal(("gw-test-2", 2L), (report.Chains[1].Problem!.Node, report.Chains[1].Problem!.Sequence));
    }

    protected override Task DisposeAsyncCore()
    {
        _signer?.Dispose();
        return Task.CompletedTask;
    }

    private async Task WriteTrailAsync()
    {
        _signer = AuditCheckpointSigner.CreateEphemeral();
        _store = Harness.OpenStore();
        var time = Clock();
        await using var trail = await StartedTrailAsync(_store, _signer, time, Options() with { CheckpointEveryRecords = 5 });
        await AppendSequentiallyAsync(trail, time, 12);
    }

    private async Task<AuditVerificationReport> VerifyAsync()
    {
        using var keys = _signer.PublicKeys();
        return await new AuditVerifier(Harness.OpenStore(), keys, null).VerifyAsync();
    }

    private async Task<AuditProblem> FirstProblemAsync()
    {
        var report = await VerifyAsync();
        Assert.False(report.IsValid);
        return Assert.Single(report.Problems);
    }
}

public sealed class SqliteAuditTamperingTests : AuditTamperingSuite
{
    protected override AuditStoreHarness CreateHarness() => new SqliteAuditStoreHarness();
}

public sealed class PostgresAuditTamperingTests : AuditTamperingSuite
{
    protected override AuditStoreHarness CreateHarness() => new PostgresAuditStoreHarness();
}
