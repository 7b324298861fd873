using System.Text.Json;
using Exchange.Gateway.Audit;
using static Exchange.Gateway.Tests.Audit.AuditTestData;

namespace Exchange.Gateway.Tests.Audit;

public sealed class AuditNdjsonTests
{
    [Fact]
    public void Record_WrittenAndReadBack_HashesAsBefore()
    {
        var time = Clock();
        using var hasher = new AuditSubjectHasher(SubjectKey);
        var record = AuditRecord.Create(Node, AuditChainHead.Genesis, Entry(1, time) with { SubjectHashes = [hasher.Hash("11010519491231002X")], ForwardedAt = null });

        var line = AuditNdjson.Line(w => AuditNdjson.WriteRecord(w, record));
        var read = AuditNdjson.ReadRecord(JsonDocument.Parse(line).RootElement);

        Assert.Equal((byte)'\n', line[^1]);
        Assert.DoesNotContain((byte)'\n', line[..^1]);
        Assert.Equal(AuditCanonicalEncoding.Encode(record), AuditCanonicalEncoding.Encode(read));
        Assert.Equal(record.Hash, read.Hash);
    }

    [Fact]
    public void Checkpoint_WrittenAndReadBack_StillVerifies()
    {
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        using var keys = signer.PublicKeys();
        var checkpoint = signer.Sign(Node, 5, AuditHash.Compute([5]), Start);

        var read = AuditNdjson.ReadCheckpoint(JsonDocument.Parse(AuditNdjson.Line(w => AuditNdjson.WriteCheckpoint(w, checkpoint))).RootElement);

        Assert.True(keys.Verify(read, out var problem), problem);
    }

    [Theory]
    [InlineData("\"sequence\":1,", "\"sequence\":\"1\",", "'sequence' must be an integer")]
    [InlineData("\"outcome\":\"accepted\"", "\"outcome\":\"maybe\"", "'outcome' is not known")]
    [InlineData("\"caller\":\"county-hospital\",", "", "'caller' is missing")]
    [InlineData("\"receivedAt\":\"2025-03-14T08:30:00.000000Z\"", "\"receivedAt\":\"2025-03-14 08:30\"", "'receivedAt' must be an RFC 3339 UTC time with microseconds")]
    public void ReadRecord_MalformedField_IsNamed(string original, string replacement, string message)
    {
        var record = AuditRecord.Create(Node, AuditChainHead.Genesis, Entry(1, Clock()));
        var line = System.Text.Encoding.UTF8.GetString(AuditNdjson.Line(w => AuditNdjson.WriteRecord(w, record)));
        Assert.Contains(original, line, StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => AuditNdjson.ReadRecord(JsonDocument.Parse(line.Replace(original, replacement, StringComparison.Ordinal)).RootElement));

        Assert.Equal(message, error.Message);
    }
}
