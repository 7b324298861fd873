using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Exchange.Benchmarks.Load;
using Exchange.Gateway.Audit;
using Google.Protobuf;
using Grpc.Core;
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

    private string _directory = null!;
    private SqliteAuditStore _store = null!;
    private AuditCheckpointSigner _signer = null!;
    private AuditTrail _trail = null!;
    private MessageDigest _request;
    private MessageDigest _response;
    private const int People = 50_000;

    private ImmutableArray<SubjectHash>[] _subjects = [];
    private long _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("exchange-bench-audit-").FullName;
        _store = new SqliteAuditStore(Path.Combine(_directory, "audit.db"));
        _signer = AuditCheckpointSigner.CreateEphemeral();
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        _trail = new AuditTrail(
            _store,
            _signer,
            new AuditOptions { NodeId = "bench-1", SubjectHashKey = Convert.ToBase64String(key), CheckpointKeyPath = "unused.pem" },
            TimeProvider.System,
            NullLogger<AuditTrail>.Instance);
        await _trail.StartAsync(CancellationToken.None).ConfigureAwait(false);

        var request = MicroInputs.PreSettle();
        using var hasher = new AuditSubjectHasher(key);
        _subjects = [.. Enumerable.Range(0, People).Select(i => ImmutableArray.Create(hasher.Hash($"{request.Visit.CitizenId}-{i}")))];
        _request = MessageDigest.Of(request.ToByteArray());
        _response = MessageDigest.Of(new byte[180]);
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
    public async Task<long> AppendOne() => (await _trail.AppendAsync(Entry()).ConfigureAwait(false)).Sequence;

    /// <summary>256 exchanges in flight: records share flushes (group commit). Reported per record.</summary>
    [Benchmark(OperationsPerInvoke = InFlight)]
    public async Task<long> Append256InFlight()
    {
        var pending = new Task<AuditReceipt>[InFlight];
        for (var i = 0; i < pending.Length; i++)
        {
            pending[i] = _trail.AppendAsync(Entry()).AsTask();
        }

        var receipts = await Task.WhenAll(pending).ConfigureAwait(false);
        return receipts[^1].Sequence;
    }

    private AuditEntry Entry()
    {
        var n = Interlocked.Increment(ref _next);
        var now = DateTimeOffset.UtcNow;
        return new AuditEntry
        {
            ExchangeId = $"bench-{n}",
            TraceId = n % 10 == 0 ? System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString() : null,
            Caller = "county-hospital",
            TargetRegion = BenchmarkRequest.Region,
            TargetEndpoint = "http://127.0.0.1:50051/",
            Service = "exchange.medical.v1.CrossRegionSettlementService",
            Method = "PreSettle",
            Purpose = "PURPOSE_OF_USE_MEDICAL_SETTLEMENT",
            SubjectHashes = _subjects[(int)((n * 7919) % People)],
            Request = _request,
            Response = _response,
            Status = StatusCode.OK,
            Outcome = AuditOutcome.Accepted,
            Attempts = 1,
            ReceivedAt = now,
            ForwardedAt = now,
            AnsweredAt = now,
        };
    }
}
