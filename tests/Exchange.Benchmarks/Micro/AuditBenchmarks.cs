using BenchmarkDotNet.Attributes;
using Exchange.Benchmarks.AuditCost;
using Exchange.Gateway.Audit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exchange.Benchmarks.Micro;

/// <summary>
/// Durable audit append (AuditTrail.AppendAsync) on a SQLite store in a temporary directory (WAL, synchronous=FULL,
/// group commit, signed checkpoints every 1,000 records): one exchange at a time (each its own flush), and 256
/// exchanges in flight at once (sharing flushes, as under load; per-record time, so records/s = 1 s ÷ Mean).
/// The record's digests and subject hashes are computed once: this measures the append. As in real traffic, each record
/// names another person (cycling through 50,000 subject hashes, so the subject index is written at random places, not
/// appended to), and one record in ten names a trace (the default sampling ratio).
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes them in [GlobalCleanup].")]
public class AuditAppend
{
    private const int InFlight = 256;

    private const int People = 50_000;

    private string _directory = null!;
    private SqliteAuditStore _store = null!;
    private AuditCheckpointSigner _signer = null!;
    private AuditTrail _trail = null!;
    private AuditBenchmarkEntries _entries = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("exchange-bench-audit-").FullName;
        _store = new SqliteAuditStore(Path.Combine(_directory, "audit.db"));
        _signer = AuditCheckpointSigner.CreateEphemeral();
        _trail = new AuditTrail(_store, _signer, AuditBenchmarkEntries.Options("bench-1"), TimeProvider.System, NullLogger<AuditTrail>.Instance);
        await _trail.StartAsync(CancellationToken.None).ConfigureAwait(false);
        _entries = new AuditBenchmarkEntries(People);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _trail.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        _signer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>One exchange waits for its record to be durable: a flush (fsync) of its own.</summary>
    [Benchmark(Baseline = true)]
    public async Task<long> AppendOne() => (await _trail.AppendAsync(_entries.Next()).ConfigureAwait(false)).Sequence;

    /// <summary>256 exchanges in flight: records share flushes (group commit). Reported per record.</summary>
    [Benchmark(OperationsPerInvoke = InFlight)]
    public async Task<long> Append256InFlight()
    {
        var pending = new Task<AuditReceipt>[InFlight];
        for (var i = 0; i < pending.Length; i++)
        {
            pending[i] = _trail.AppendAsync(_entries.Next()).AsTask();
        }

        var receipts = await Task.WhenAll(pending).ConfigureAwait(false);
        return receipts[^1].Sequence;
    }
}
