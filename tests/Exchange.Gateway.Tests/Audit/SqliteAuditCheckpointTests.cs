using Exchange.Gateway.Audit;
using Exchange.Gateway.Tests.Forwarding;

namespace Exchange.Gateway.Tests.Audit;

/// <summary>
/// The SQLite trail copies its WAL back into the database file in the background, about every second, instead of
/// leaving it to the writer's automatic checkpoint (set to a WAL of 20,000 pages, far more than these records fill).
/// </summary>
public sealed class SqliteAuditCheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("exchange-audit-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RecordsInTheWal_AreCopiedIntoTheDatabaseFile_WithoutAnotherWrite()
    {
        var file = Path.Combine(_directory, "audit.db");
        await using var store = new SqliteAuditStore(file);
        await store.InitializeAsync(CancellationToken.None);
        var time = AuditTestData.Clock();
        var chain = new AuditChain(AuditTestData.Node, AuditChainHead.Genesis);
        var before = new FileInfo(file).Length;
        for (var batch = 0; batch < 10; batch++)
        {
            var records = chain.Link([.. Enumerable.Range(batch * 100, 100).Select(i => AuditTestData.Entry(i + 1, time))]);
            await store.AppendAsync(AuditTestData.Node, records, checkpoint: null, CancellationToken.None);
            chain.Advance(records);
        }

        // 1,000 records fill a few hundred WAL frames (about 160 pages once copied): far below the automatic checkpoint,
        // so only the background one moves them into the file.
        await Eventually.True(() => new FileInfo(file).Length > before + (100 * 4096), "the database file holds the records");
        Assert.Equal(1000, (await AuditTestData.ReadAllAsync(store)).Count);
    }
}
