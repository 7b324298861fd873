using System.Security.Cryptography;
using System.Text;
using Exchange.Gateway.Audit;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Audit;

public sealed class AuditCanonicalEncodingTests
{
    private static readonly DateTimeOffset Received = new DateTimeOffset(2025, 3, 14, 8, 30, 0, TimeSpan.Zero).AddTicks(1_234_560);

    // Computed independently from the documented layout (docs/audit.md) with a few lines of Python.
    private const string GoldenHash = "247f9961fca1eb3110caed68819e5505f0d6dff38b17b616a29c85da1622640b";
    private const string GoldenCheckpoint =
        "0000001965786368616e67652e61756469742e636865636b706f696e74000000010000000467772d31000000000000002a00000020"
        + "247f9961fca1eb3110caed68819e5505f0d6dff38b17b616a29c85da1622640b000630493e883440";

    [Fact]
    public void ComputeHash_GoldenRecord_MatchesTheDocumentedEncoding()
    {
        var record = Golden();

        Assert.Equal(459, AuditCanonicalEncoding.Encode(record).Length);
        Assert.Equal(GoldenHash, AuditCanonicalEncoding.ComputeHash(record).ToHex());
    }

    [Fact]
    public void EncodeCheckpoint_GoldenCheckpoint_MatchesTheDocumentedEncoding() =>
        Assert.Equal(GoldenCheckpoint, Convert.ToHexStringLower(AuditCanonicalEncoding.EncodeCheckpoint("gw-1", 42, AuditHash.Parse(GoldenHash), Received)));

    public static TheoryData<string> Changes() =>
    [
        "node", "sequence", "exchange", "parent", "trace", "trace-null", "caller", "region", "endpoint", "service", "method",
        "purpose", "subjects", "subjects-empty", "request", "request-size", "request-messages", "response", "status", "outcome",
        "attempts", "received", "forwarded-null", "answered", "previous",
    ];

    [Theory]
    [MemberData(nameof(Changes))]
    public void ComputeHash_AnyFieldChanged_ChangesTheHash(string change)
    {
        var golden = Golden();
        var e = golden.Entry;
        var changed = change switch
        {
            "node" => golden with { Node = "gw-2" },
            "sequence" => golden with { Sequence = 43 },
            "previous" => golden with { PreviousHash = AuditHash.Zero },
            _ => golden with
            {
                Entry = change switch
                {
                    "exchange" => e with { ExchangeId = "ex-2" },
                    "parent" => e with { ParentExchangeId = "ex-1" },
                    "trace" => e with { TraceId = "1af7651916cd43dd8448eb211c80319c" },
                    "trace-null" => e with { TraceId = null },
                    "caller" => e with { Caller = "county-hospitam" },
                    "region" => e with { TargetRegion = "310100" },
                    "endpoint" => e with { TargetEndpoint = null },
                    "service" => e with { Service = "exchange.medical.v1.Other" },
                    "method" => e with { Method = "PreSettle" },
                    "purpose" => e with { Purpose = "PURPOSE_OF_USE_AUDIT" },
                    "subjects" => e with { SubjectHashes = [SubjectHash.Parse(new string('c', 64))] },
                    "subjects-empty" => e with { SubjectHashes = [] },
                    "request" => e with { Request = null },
                    "request-size" => e with { Request = e.Request!.Value with { Size = 8 } },
                    "request-messages" => e with { Request = e.Request!.Value with { Messages = 2 } },
                    "response" => e with { Response = e.Request },
                    "status" => e with { Status = StatusCode.Cancelled },
                    "outcome" => e with { Outcome = AuditOutcome.Replayed },
                    "attempts" => e with { Attempts = 3 },
                    "received" => e with { ReceivedAt = Received.AddTicks(10) },
                    "forwarded-null" => e with { ForwardedAt = null },
                    "answered" => e with { AnsweredAt = e.AnsweredAt.AddTicks(10) },
                    _ => throw new ArgumentOutOfRangeException(nameof(change)),
                },
            },
        };

        Assert.NotEqual(AuditCanonicalEncoding.ComputeHash(golden), AuditCanonicalEncoding.ComputeHash(changed));
    }

    [Fact]
    public void ComputeHash_TextsThatConcatenateAlike_HashDifferently()
    {
        var golden = Golden();
        var a = golden with { Entry = golden.Entry with { Service = "ab", Method = "c" } };
        var b = golden with { Entry = golden.Entry with { Service = "a", Method = "bc" } };

        Assert.NotEqual(AuditCanonicalEncoding.ComputeHash(a), AuditCanonicalEncoding.ComputeHash(b));
    }

    [Fact]
    public void ComputeHash_TimesBelowAMicrosecond_AreNotPartOfTheRecord()
    {
        var golden = Golden();
        var finer = golden with { Entry = golden.Entry with { ReceivedAt = Received.AddTicks(9) } };

        Assert.Equal(AuditCanonicalEncoding.ComputeHash(golden), AuditCanonicalEncoding.ComputeHash(finer));
    }

    [Fact]
    public void Encode_UnknownVersion_IsRefused() =>
        Assert.Throws<NotSupportedException>(() => AuditCanonicalEncoding.Encode(Golden() with { EncodingVersion = 2 }));

    private static AuditRecord Golden()
    {
        var record = new AuditRecord
        {
            Node = "gw-1",
            Sequence = 42,
            Entry = new AuditEntry
            {
                ExchangeId = "ex-1",
                TraceId = "0af7651916cd43dd8448eb211c80319c",
                Caller = "county-hospital",
                TargetRegion = "310000",
                TargetEndpoint = "https://sh.partner.example:7443",
                Service = "exchange.medical.v1.CrossRegionSettlementService",
                Method = "Settle",
                Purpose = "PURPOSE_OF_USE_MEDICAL_SETTLEMENT",
                SubjectHashes = [SubjectHash.Parse(string.Concat(Enumerable.Repeat("ab", 32)))],
                Request = new MessageDigest(AuditHash.FromBytes(SHA256.HashData(Encoding.ASCII.GetBytes("request"))), 7, 1),
                Status = StatusCode.OK,
                Outcome = AuditOutcome.Accepted,
                Attempts = 2,
                ReceivedAt = Received,
                ForwardedAt = Received.AddMilliseconds(1),
                AnsweredAt = Received.AddMilliseconds(25),
            },
            PreviousHash = AuditHash.FromBytes(Enumerable.Repeat((byte)0x11, 32).ToArray()),
            Hash = default,
        };
        return record;
    }
}
