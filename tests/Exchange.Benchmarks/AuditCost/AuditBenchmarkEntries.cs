using System.Collections.Immutable;
using System.Diagnostics;
using Exchange.Benchmarks.Load;
using Exchange.Gateway.Audit;
using Google.Protobuf;
using Grpc.Core;

namespace Exchange.Benchmarks.AuditCost;

/// <summary>
/// Audit entries as the gateway writes them for the load benchmark's PreSettle exchanges, for the benchmarks that
/// append to a store without the rest of the gateway: each names one of <c>people</c> persons (cycling through them in
/// a scattered order, so with many people the subject index is written at random places, as in real traffic; with one,
/// it is appended to, as in the load benchmark), and one in ten names a trace (the default sampling ratio). Digests
/// and subject hashes are computed once.
/// </summary>
internal sealed class AuditBenchmarkEntries
{
    /// <summary>The key of the subject hashes (any 32 bytes: nothing is checked against it).</summary>
    public static readonly byte[] SubjectKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private readonly ImmutableArray<SubjectHash>[] _subjects;
    private readonly MessageDigest _request;
    private readonly MessageDigest _response;
    private long _next;

    /// <summary>Entries naming <paramref name="people"/> different persons.</summary>
    public AuditBenchmarkEntries(int people)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(people, 1);
        var request = BenchmarkRequest.Create(DateTimeOffset.UtcNow);
        using var hasher = new AuditSubjectHasher(SubjectKey);
        _subjects = [.. Enumerable.Range(0, people).Select(i => ImmutableArray.Create(hasher.Hash($"{request.Visit.CitizenId}-{i}")))];
        _request = MessageDigest.Of(request.ToByteArray());
        _response = MessageDigest.Of(new byte[180]);
    }

    /// <summary>Options of a trail writing node <paramref name="node"/> (checkpoints every 1,000 records, the default).</summary>
    public static AuditOptions Options(string node) =>
        new() { NodeId = node, SubjectHashKey = Convert.ToBase64String(SubjectKey), CheckpointKeyPath = "unused.pem" };

    /// <summary>The next entry: an exchange received, forwarded and answered now.</summary>
    public AuditEntry Next()
    {
        var n = Interlocked.Increment(ref _next);
        var now = DateTimeOffset.UtcNow;
        return new AuditEntry
        {
            ExchangeId = Guid.CreateVersion7().ToString("N"),
            TraceId = n % 10 == 0 ? ActivityTraceId.CreateRandom().ToHexString() : null,
            Caller = "county-hospital",
            TargetRegion = BenchmarkRequest.Region,
            TargetEndpoint = "http://127.0.0.1:50051/",
            Service = "exchange.medical.v1.CrossRegionSettlementService",
            Method = "PreSettle",
            Purpose = "PURPOSE_OF_USE_MEDICAL_SETTLEMENT",
            SubjectHashes = _subjects[(int)(n * 7919 % _subjects.Length)],
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
