using System.IO.Compression;
using System.Text;
using Exchange.Gateway.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Exchange.Gateway.Tests.Audit.AuditTestData;

namespace Exchange.Gateway.Tests.Audit;

/// <summary>
/// Ten records received at the start, five more 200 days later; with 180 days' retention and four records per file,
/// retention moves records 1–10 into three archive files (1–4, 5–8, 9–10) that continue the chain, with the
/// checkpoints of records 5 and 10; the store keeps 11–15.
/// </summary>
public abstract class AuditRetentionSuite : AuditStoreTestBase
{
    private readonly string _archive = Directory.CreateTempSubdirectory("exchange-audit-archive-").FullName;
    private readonly FakeTimeProvider _time = Clock();
    private AuditCheckpointSigner _signer = null!;
    private IAuditStore _store = null!;

    private AuditOptions RetentionOptions => Options() with
    {
        CheckpointEveryRecords = 5,
        ArchiveDirectory = _archive,
        RetentionPeriod = TimeSpan.FromDays(180),
        ArchiveRecordsPerFile = 4,
    };

    private string NodeArchive => Path.Combine(_archive, Node);

    [Fact]
    public async Task Retention_MovesOldRecordsToArchivesThatVerifyWithTheStoreAsOneChain()
    {
        await WriteTrailAsync();

        var result = await RetainAsync();

        Assert.Equal(10, result.Records);
        Assert.Equal(["000000000001-000000000004.ndjson.gz", "000000000005-000000000008.ndjson.gz", "000000000009-000000000010.ndjson.gz"], result.Files.Select(Path.GetFileName));
        Assert.Equal([11L, 12L, 13L, 14L, 15L], (await ReadAllAsync(_store)).Select(r => r.Sequence));
        Assert.Equal([15L], (await ReadCheckpointsAsync(_store)).Select(c => c.Sequence));
        var chain = Assert.Single((await VerifyAsync()).Chains);
        Assert.Null(chain.Problem);
        Assert.Equal((15L, 15L, 3L, 3), (chain.Records, chain.LastSequence, chain.Checkpoints, chain.ArchiveFiles));
    }

    [Fact]
    public async Task Retention_ArchiveFileContinuesTheChainAndCarriesItsCheckpoints()
    {
        await WriteTrailAsync();
        var before = await ReadAllAsync(_store);

        await RetainAsync();

        var lines = ReadLines(Path.Combine(NodeArchive, "000000000005-000000000008.ndjson.gz"));
        Assert.Equal(["archive", "record", "checkpoint", "record", "record", "record", "end"], lines.Select(l => Kind(l)));
        Assert.Contains($"\"previousHash\":\"{before[3].Hash.ToHex()}\"", lines[0], StringComparison.Ordinal);
        Assert.Contains($"\"lastHash\":\"{before[7].Hash.ToHex()}\"", lines[^1], StringComparison.Ordinal);
        Assert.Equal(before[4].Hash, AuditNdjson.ReadRecord(System.Text.Json.JsonDocument.Parse(lines[1]).RootElement).Hash);
    }

    [Fact]
    public async Task Retention_LineTamperedInAnArchive_VerifyNamesTheRecordFileAndLine()
    {
        await WriteTrailAsync();
        await RetainAsync();
        var path = Path.Combine(NodeArchive, "000000000005-000000000008.ndjson.gz");
        var lines = ReadLines(path);
        Assert.Contains("\"sequence\":6,", lines[3], StringComparison.Ordinal);
        lines[3] = lines[3].Replace("\"attempts\":1", "\"attempts\":2", StringComparison.Ordinal);
        WriteLines(path, lines);

        var problem = await FirstProblemAsync();

        Assert.Equal((6L, AuditProblemKind.RecordAltered), (problem.Sequence, problem.Kind));
        Assert.Equal($"archive {Node}/000000000005-000000000008.ndjson.gz line 4", problem.Location);
    }

    [Fact]
    public async Task Retention_ArchiveFileMissing_VerifyNamesTheFirstMissingRecord()
    {
        await WriteTrailAsync();
        await RetainAsync();
        File.Delete(Path.Combine(NodeArchive, "000000000005-000000000008.ndjson.gz"));

        var problem = await FirstProblemAsync();

        Assert.Equal((5L, AuditProblemKind.RecordMissing), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task Retention_LastArchiveFileCutShort_VerifyNamesTheFirstMissingRecord()
    {
        await WriteTrailAsync();
        await RetainAsync();
        var path = Path.Combine(NodeArchive, "000000000009-000000000010.ndjson.gz");
        var lines = ReadLines(path);
        Assert.Equal(["archive", "record", "record", "checkpoint", "end"], lines.Select(l => Kind(l)));
        WriteLines(path, lines[..^3]);

        var problem = await FirstProblemAsync();

        Assert.Equal((10L, AuditProblemKind.TailTruncated), (problem.Sequence, problem.Kind));
        Assert.Contains("without its trailer", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_EveryArchiveFileDeleted_TheStoresMarkShowsTheyAreMissing()
    {
        await WriteTrailAsync();
        await RetainAsync();
        Directory.Delete(NodeArchive, recursive: true);

        var problem = await FirstProblemAsync();

        Assert.Equal((1L, AuditProblemKind.RecordMissing), (problem.Sequence, problem.Kind));
    }

    [Fact]
    public async Task Retention_NothingOldEnough_WritesNothing()
    {
        await WriteTrailAsync();

        var result = await RetainAsync(RetentionOptions with { RetentionPeriod = TimeSpan.FromDays(365) });

        Assert.Equal(0, result.Records);
        Assert.Empty(result.Files);
        Assert.Equal(15, (await ReadAllAsync(_store)).Count);
    }

    [Fact]
    public async Task Retention_EveryRecordArchived_TheTrailResumesAfterTheArchiveAndVerifies()
    {
        await WriteTrailAsync();
        _time.Advance(TimeSpan.FromDays(365));
        await RetainAsync();
        Assert.Empty(await ReadAllAsync(_store));

        await using (var trail = await StartedTrailAsync(Harness.OpenStore(), _signer, _time, RetentionOptions))
        {
            Assert.Equal(16, (await trail.AppendAsync(Entry(16, _time))).Sequence);
        }

        var chain = Assert.Single((await VerifyAsync()).Chains);
        Assert.Null(chain.Problem);
        Assert.Equal((16L, 4), (chain.LastSequence, chain.ArchiveFiles));
    }

    [Fact]
    public async Task Retention_FileLeftByAnInterruptedRun_IsReplaced()
    {
        await WriteTrailAsync();
        Directory.CreateDirectory(NodeArchive);
        var leftover = Path.Combine(NodeArchive, "000000000001-000000000009.ndjson.gz");
        await File.WriteAllTextAsync(leftover, "half a file");
        await File.WriteAllTextAsync(Path.Combine(NodeArchive, "000000000001.abc.tmp"), "temporary");

        await RetainAsync();

        Assert.False(File.Exists(leftover));
        Assert.Equal(3, Directory.GetFiles(NodeArchive).Length);
        Assert.Null(Assert.Single((await VerifyAsync()).Chains).Problem);
    }

    [Fact]
    public async Task Retention_BrokenChain_IsNotArchived()
    {
        await WriteTrailAsync();
        await Harness.ExecuteAsync($"UPDATE {{records}} SET caller = 'mallory' WHERE node = '{Node}' AND sequence = 6");

        var retention = new AuditRetention(Harness.OpenStore(), RetentionOptions, _time, NullLogger<AuditRetention>.Instance);
        var broken = await Assert.ThrowsAsync<AuditChainBrokenException>(() => retention.RunOnceAsync(CancellationToken.None));

        Assert.Equal(6, broken.Sequence);
        Assert.Equal(["000000000001-000000000004.ndjson.gz"], Directory.GetFiles(NodeArchive).Select(Path.GetFileName));
        Assert.Equal(5, (await ReadAllAsync(_store)).First().Sequence);
    }

    protected override Task DisposeAsyncCore()
    {
        _signer?.Dispose();
        Directory.Delete(_archive, recursive: true);
        return Task.CompletedTask;
    }

    private static string Kind(string line) => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("kind").GetString()!;

    private static string[] ReadLines(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static void WriteLines(string path, string[] lines)
    {
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Optimal);
        gzip.Write(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
    }

    private async Task WriteTrailAsync()
    {
        _signer = AuditCheckpointSigner.CreateEphemeral();
        _store = Harness.OpenStore();
        await using var trail = await StartedTrailAsync(_store, _signer, _time, RetentionOptions);
        await AppendSequentiallyAsync(trail, _time, 10);
        _time.Advance(TimeSpan.FromDays(200));
        await AppendSequentiallyAsync(trail, _time, 5, first: 11);
    }

    private Task<AuditRetentionResult> RetainAsync(AuditOptions? options = null) =>
        new AuditRetention(Harness.OpenStore(), options ?? RetentionOptions, _time, NullLogger<AuditRetention>.Instance).RunOnceAsync(CancellationToken.None);

    private async Task<AuditVerificationReport> VerifyAsync()
    {
        using var keys = _signer.PublicKeys();
        return await new AuditVerifier(Harness.OpenStore(), keys, _archive).VerifyAsync();
    }

    private async Task<AuditProblem> FirstProblemAsync()
    {
        var report = await VerifyAsync();
        Assert.False(report.IsValid);
        return Assert.Single(report.Problems);
    }
}

public sealed class SqliteAuditRetentionTests : AuditRetentionSuite
{
    protected override AuditStoreHarness CreateHarness() => new SqliteAuditStoreHarness();
}

public sealed class PostgresAuditRetentionTests : AuditRetentionSuite
{
    protected override AuditStoreHarness CreateHarness() => new PostgresAuditStoreHarness();
}
