using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Audit;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using static Exchange.Gateway.Tests.Audit.AuditTestData;

namespace Exchange.Gateway.Tests.Audit;

/// <summary>The auditor's queries, NDJSON export, and what never reaches the store or an export: personal data in clear.</summary>
public abstract class AuditQuerySuite : AuditStoreTestBase
{
    private const string CitizenId = "11010519491231002X";
    private const string OtherCitizenId = "440524188001010014";

    [Fact]
    public async Task Query_EachCriterion_SelectsExactlyTheMatchingRecords()
    {
        var (store, records) = await WriteMixedTrailAsync();
        using var hasher = new AuditSubjectHasher(SubjectKey);

        async Task<long[]> Sequences(AuditQuery query) => [.. (await store.QueryAsync(query with { Node = Node }, CancellationToken.None)).Records.Select(r => r.Sequence)];

        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6, 7, 8 }, await Sequences(new AuditQuery()));
        Assert.Equal(new long[] { 3, 4, 5, 6 }, await Sequences(new AuditQuery { From = Start.AddMinutes(2), To = Start.AddMinutes(6) }));
        Assert.Equal(new long[] { 2, 5, 8 }, await Sequences(new AuditQuery { Caller = "hangzhou-museum" }));
        Assert.Equal(new long[] { 2, 4, 6, 8 }, await Sequences(new AuditQuery { Service = "exchange.medical.v1.CrossRegionSettlementService", Method = "PreSettle" }));
        Assert.Equal(new long[] { 1, 3, 5, 7 }, await Sequences(new AuditQuery { Method = "GetInsuredPerson" }));
        Assert.Equal(new long[] { 4, 8 }, await Sequences(new AuditQuery { Status = StatusCode.Unavailable }));
        Assert.Equal(new long[] { 6 }, await Sequences(new AuditQuery { TraceId = records[5].Entry.TraceId }));
        Assert.Equal(new long[] { 1, 3, 7 }, await Sequences(new AuditQuery { Subject = hasher.Hash(CitizenId) }));
        Assert.Equal(new long[] { 3 }, await Sequences(new AuditQuery { Subject = hasher.Hash(OtherCitizenId) }));
        Assert.Equal(new long[] { 5, 8 }, await Sequences(new AuditQuery { Caller = "hangzhou-museum", From = Start.AddMinutes(4) }));
        Assert.Empty(await Sequences(new AuditQuery { Caller = "nobody" }));
    }

    [Fact]
    public async Task Query_PagesThroughEveryNodeInNodeAndSequenceOrder()
    {
        var store = Harness.OpenStore();
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        foreach (var node in new[] { "gw-b", "gw-a" })
        {
            await using var trail = await StartedTrailAsync(store, signer, time, Options(node));
            await AppendSequentiallyAsync(trail, time, 7);
        }

        var seen = new List<(string, long)>();
        var pages = 0;
        var query = new AuditQuery { PageSize = 3 };
        while (true)
        {
            var page = await store.QueryAsync(query, CancellationToken.None);
            pages++;
            Assert.InRange(page.Records.Count, 1, 3);
            seen.AddRange(page.Records.Select(r => (r.Node, r.Sequence)));
            if (page.Next is null)
            {
                break;
            }

            query = query with { After = page.Next };
        }

        Assert.Equal(5, pages);
        Assert.Equal(
            [.. Enumerable.Range(1, 7).Select(i => ("gw-a", (long)i)), .. Enumerable.Range(1, 7).Select(i => ("gw-b", (long)i))],
            seen);
    }

    [Fact]
    public async Task Export_WritesOneObjectPerRecordWithStableFieldNamesThatRehash()
    {
        var (store, records) = await WriteMixedTrailAsync();
        using var output = new MemoryStream();

        var count = await AuditExport.WriteNdjsonAsync(store, new AuditQuery { PageSize = 3 }, output);

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n');
        Assert.Equal(8, count);
        Assert.Equal(9, lines.Length);
        Assert.Equal(string.Empty, lines[^1]);
        string[] fields =
        [
            "kind", "encodingVersion", "node", "sequence", "exchangeId", "parentExchangeId", "traceId", "caller", "targetRegion",
            "targetEndpoint", "service", "method", "purpose", "subjectHashes", "requestSha256", "requestSize", "requestMessages",
            "responseSha256", "responseSize", "responseMessages", "statusCode", "status", "outcome", "attempts", "receivedAt",
            "forwardedAt", "answeredAt", "previousHash", "hash",
        ];
        for (var i = 0; i < 8; i++)
        {
            var json = JsonDocument.Parse(lines[i]).RootElement;
            Assert.Equal(fields, json.EnumerateObject().Select(p => p.Name));
            var record = AuditNdjson.ReadRecord(json);
            Assert.Equal(records[i].Hash, record.Hash);
            Assert.Equal(record.Hash, AuditCanonicalEncoding.ComputeHash(record));
        }

        Assert.Equal("UNAVAILABLE", JsonDocument.Parse(lines[3]).RootElement.GetProperty("status").GetString());
        Assert.Equal("2025-03-14T08:33:00.000000Z", JsonDocument.Parse(lines[3]).RootElement.GetProperty("receivedAt").GetString());
    }

    [Fact]
    public async Task Record_OfARealisticExchange_HoldsNoIdNumberNameOrAmountInClearAnywhere()
    {
        var store = Harness.OpenStore();
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        using var hasher = new AuditSubjectHasher(SubjectKey);
        var request = new GetInsuredPersonRequest { InsuredRegion = "310000", CitizenId = CitizenId, Purpose = PurposeOfUse.MedicalSettlement }.ToByteArray();
        var response = new GetInsuredPersonResponse
        {
            Person = new InsuredPerson
            {
                PersonNumber = "P310000123456",
                Name = "张三丰",
                InsuredRegion = "310000",
                AccountBalance = new Money { Fen = 8765432 },
                CapRemaining = new Money { Fen = 30000000 },
            },
        }.ToByteArray();
        var archive = Directory.CreateTempSubdirectory("exchange-audit-privacy-").FullName;
        try
        {
            var options = Options() with { ArchiveDirectory = archive, RetentionPeriod = TimeSpan.FromDays(1) };
            await using (var trail = await StartedTrailAsync(store, signer, time, options))
            {
                await trail.AppendAsync(new AuditEntry
                {
                    ExchangeId = "7f3c2a9e4b1d4e0f9a8b7c6d5e4f3a2b",
                    TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
                    Caller = "county-hospital",
                    TargetRegion = "310000",
                    TargetEndpoint = "https://sh.partner.example:7443",
                    Service = CrossRegionSettlementService.Descriptor.FullName,
                    Method = "GetInsuredPerson",
                    Purpose = "PURPOSE_OF_USE_MEDICAL_SETTLEMENT",
                    SubjectHashes = [hasher.Hash(CitizenId)],
                    Request = MessageDigest.Of(request),
                    Response = MessageDigest.Of(response),
                    Status = StatusCode.OK,
                    Outcome = AuditOutcome.Accepted,
                    Attempts = 1,
                    ReceivedAt = time.GetUtcNow(),
                    ForwardedAt = time.GetUtcNow(),
                    AnsweredAt = time.GetUtcNow(),
                });
            }

            var stored = await Harness.DumpAsync();
            using var export = new MemoryStream();
            await AuditExport.WriteNdjsonAsync(store, new AuditQuery(), export);
            var exported = Encoding.UTF8.GetString(export.ToArray());
            time.Advance(TimeSpan.FromDays(2));
            var files = (await new AuditRetention(store, options, time, NullLogger<AuditRetention>.Instance).RunOnceAsync(CancellationToken.None)).Files;
            using var reader = new StreamReader(new GZipStream(File.OpenRead(Assert.Single(files)), CompressionMode.Decompress));
            var archived = await reader.ReadToEndAsync();

            Assert.Contains(hasher.Hash(CitizenId).Hex, exported, StringComparison.Ordinal);
            Assert.Contains("county-hospital", stored, StringComparison.Ordinal);
            foreach (var text in new[] { stored, exported, archived })
            {
                foreach (var secret in new[] { CitizenId, CitizenId.ToLowerInvariant(), "张三丰", "P310000123456", "8765432", "87654.32", "30000000" })
                {
                    Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
                }
            }
        }
        finally
        {
            Directory.Delete(archive, recursive: true);
        }
    }

    /// <summary>
    /// Eight records a minute apart: callers alternate hospital, museum, hospital…; odd records GetInsuredPerson,
    /// even PreSettle; 4 and 8 UNAVAILABLE; subjects: 1, 3 and 7 the citizen, 3 also another.
    /// </summary>
    private async Task<(IAuditStore Store, List<AuditRecord> Records)> WriteMixedTrailAsync()
    {
        var store = Harness.OpenStore();
        var time = Clock();
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        using var hasher = new AuditSubjectHasher(SubjectKey);
        await using (var trail = await StartedTrailAsync(store, signer, time))
        {
            for (var i = 1; i <= 8; i++)
            {
                var subjects = i switch
                {
                    1 or 7 => [hasher.Hash(CitizenId)],
                    3 => [hasher.Hash(OtherCitizenId), hasher.Hash(CitizenId)],
                    _ => System.Collections.Immutable.ImmutableArray<SubjectHash>.Empty,
                };
                await trail.AppendAsync(Entry(
                    i,
                    time,
                    caller: i % 3 == 2 ? "hangzhou-museum" : "county-hospital",
                    status: i % 4 == 0 ? StatusCode.Unavailable : StatusCode.OK,
                    subjects: subjects));
                time.Advance(TimeSpan.FromMinutes(1));
            }
        }

        return (store, await ReadAllAsync(store));
    }
}

public sealed class SqliteAuditQueryTests : AuditQuerySuite
{
    [Fact]
    public async Task Query_BySubject_ReadsTheSubjectIndexAndOnlyTheRecordsItNames()
    {
        var store = (SqliteAuditStore)Harness.OpenStore();
        await store.InitializeAsync(CancellationToken.None);
        using var hasher = new AuditSubjectHasher(SubjectKey);
        var (sql, parameters) = store.QueryCommand(new AuditQuery { Subject = hasher.Hash("11010519491231002X") });

        var plan = await ((SqliteAuditStoreHarness)Harness).ExplainQueryPlanAsync(sql, parameters);

        // SQLite's plan steps name the table alias: the index is searched by the hash, each record by its key.
        Assert.Contains(plan, step => step.StartsWith("SEARCH s USING PRIMARY KEY (subject_hash=?", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.StartsWith("SEARCH r USING INDEX", StringComparison.Ordinal) && step.Contains("(node=? AND sequence=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN r", StringComparison.Ordinal));
    }

    protected override AuditStoreHarness CreateHarness() => new SqliteAuditStoreHarness();
}

public sealed class PostgresAuditQueryTests : AuditQuerySuite
{
    protected override AuditStoreHarness CreateHarness() => new PostgresAuditStoreHarness();
}
