using System.Collections.Immutable;
using Exchange.Gateway.Audit;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Exchange.Gateway.Tests.Audit;

/// <summary>Entries, options and trails for audit tests.</summary>
internal static class AuditTestData
{
    public const string Node = "gw-test-1";

    public static readonly DateTimeOffset Start = new(2025, 3, 14, 8, 30, 0, TimeSpan.Zero);

    public static readonly byte[] SubjectKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    public static AuditOptions Options(string node = Node) => new()
    {
        NodeId = node,
        SubjectHashKey = Convert.ToBase64String(SubjectKey),
        CheckpointKeyPath = "unused.pem",
        CheckpointEveryRecords = 1000,
        CheckpointInterval = TimeSpan.FromSeconds(60),
        // Long enough that moving fake time in a test never times a write out.
        WriteTimeout = TimeSpan.FromDays(1),
        RetryInterval = TimeSpan.FromSeconds(1),
    };

    public static AuditTrail Trail(IAuditStore store, AuditCheckpointSigner signer, TimeProvider time, AuditOptions? options = null) =>
        new(store, signer, options ?? Options(), time, NullLogger<AuditTrail>.Instance);

    public static async Task<AuditTrail> StartedTrailAsync(IAuditStore store, AuditCheckpointSigner signer, TimeProvider time, AuditOptions? options = null)
    {
        var trail = Trail(store, signer, time, options);
        await trail.StartAsync(CancellationToken.None);
        return trail;
    }

    /// <summary>An entry of exchange <paramref name="i"/>, received at the fake clock's time.</summary>
    public static AuditEntry Entry(int i, TimeProvider time, string caller = "county-hospital", StatusCode status = StatusCode.OK, ImmutableArray<SubjectHash>? subjects = null)
    {
        var received = time.GetUtcNow();
        return new AuditEntry
        {
            ExchangeId = $"ex-{i:D6}",
            TraceId = $"{i:x32}",
            Caller = caller,
            TargetRegion = "310000",
            TargetEndpoint = "https://sh.partner.example:7443",
            Service = "exchange.medical.v1.CrossRegionSettlementService",
            Method = i % 2 == 0 ? "PreSettle" : "GetInsuredPerson",
            Purpose = "PURPOSE_OF_USE_MEDICAL_SETTLEMENT",
            SubjectHashes = subjects ?? [],
            Request = MessageDigest.Of([.. BitConverter.GetBytes(i)]),
            Response = status == StatusCode.OK ? MessageDigest.Of([1, 2, 3, (byte)i]) : null,
            Status = status,
            Outcome = status == StatusCode.OK ? AuditOutcome.Accepted : AuditOutcome.Failed,
            Attempts = 1,
            ReceivedAt = received,
            ForwardedAt = received.AddTicks(1234),
            AnsweredAt = received.AddMilliseconds(15),
        };
    }

    /// <summary>Appends <paramref name="count"/> entries one after the other (each its own batch).</summary>
    public static async Task<List<AuditReceipt>> AppendSequentiallyAsync(AuditTrail trail, TimeProvider time, int count, int first = 1)
    {
        var receipts = new List<AuditReceipt>();
        for (var i = first; i < first + count; i++)
        {
            receipts.Add(await trail.AppendAsync(Entry(i, time)));
        }

        return receipts;
    }

    public static FakeTimeProvider Clock() => new(Start);

    public static async Task<List<AuditRecord>> ReadAllAsync(IAuditStore store, string node = Node)
    {
        var records = new List<AuditRecord>();
        await foreach (var record in store.ReadChainAsync(node, 0, CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }

    public static async Task<List<AuditCheckpoint>> ReadCheckpointsAsync(IAuditStore store, string node = Node)
    {
        var checkpoints = new List<AuditCheckpoint>();
        await foreach (var checkpoint in store.ReadCheckpointsAsync(node, CancellationToken.None))
        {
            checkpoints.Add(checkpoint);
        }

        return checkpoints;
    }

    /// <summary>Waits (bounded, in real time) for a task a background loop completes; a hang fails the test.</summary>
    public static Task<T> Within<T>(Task<T> task) => task.WaitAsync(TimeSpan.FromSeconds(30));

    /// <inheritdoc cref="Within{T}(Task{T})"/>
    public static Task Within(Task task) => task.WaitAsync(TimeSpan.FromSeconds(30));
}
