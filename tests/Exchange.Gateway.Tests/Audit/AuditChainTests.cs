using Exchange.Gateway.Audit;
using static Exchange.Gateway.Tests.Audit.AuditTestData;

namespace Exchange.Gateway.Tests.Audit;

public sealed class AuditChainTests
{
    [Fact]
    public void Link_FromGenesis_StartsAtOneWithAZeroPreviousHashAndLinksEachRecordToTheLast()
    {
        var time = Clock();
        var chain = new AuditChain(Node, AuditChainHead.Genesis);

        var records = chain.Link([Entry(1, time), Entry(2, time), Entry(3, time)]);

        Assert.Equal([1L, 2L, 3L], records.Select(r => r.Sequence));
        Assert.Equal(AuditHash.Zero, records[0].PreviousHash);
        Assert.Equal(records[0].Hash, records[1].PreviousHash);
        Assert.Equal(records[1].Hash, records[2].PreviousHash);
        Assert.All(records, r => Assert.Equal(AuditCanonicalEncoding.ComputeHash(r), r.Hash));
        Assert.Equal(AuditChainHead.Genesis, chain.Head);
    }

    [Fact]
    public void Advance_DurableRecords_MovesTheHeadToTheLast()
    {
        var time = Clock();
        var chain = new AuditChain(Node, AuditChainHead.Genesis);
        var records = chain.Link([Entry(1, time), Entry(2, time)]);

        chain.Advance(records);

        Assert.Equal(AuditChainHead.After(records[1]), chain.Head);
        Assert.Equal(records[1].Hash, chain.Link([Entry(3, time)])[0].PreviousHash);
    }

    [Fact]
    public void Advance_RecordsThatDoNotContinueTheHead_AreRefused()
    {
        var time = Clock();
        var chain = new AuditChain(Node, AuditChainHead.Genesis);
        var stale = chain.Link([Entry(1, time)]);
        chain.Advance(stale);

        Assert.Throws<InvalidOperationException>(() => chain.Advance(stale));
    }

    [Fact]
    public void Link_AfterAnArchiveMark_ContinuesItsSequenceAndHash()
    {
        var mark = new AuditArchiveMark(Node, 41, AuditHash.Compute([4, 1]));

        var record = new AuditChain(Node, mark.Head).Link([Entry(42, Clock())])[0];

        Assert.Equal((42L, mark.Hash), (record.Sequence, record.PreviousHash));
    }
}
