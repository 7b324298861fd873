using System.Security.Cryptography;
using Exchange.Gateway.Audit;

namespace Exchange.Gateway.Tests.Audit;

public sealed class MessageDigestTests
{
    [Fact]
    public void Of_OneMessage_IsTheSha256OfItsBytes()
    {
        byte[] message = [10, 6, 51, 49, 48, 48, 48, 48];

        var digest = MessageDigest.Of(message);

        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(message)), 8L, 1), (digest.Sha256.ToHex(), digest.Size, digest.Messages));
    }

    [Fact]
    public void Builder_OneMessage_EqualsTheUnaryDigest()
    {
        byte[] message = [1, 2, 3];
        using var builder = new MessageDigestBuilder();

        builder.Append(message);

        Assert.Equal(MessageDigest.Of(message), builder.Current());
    }

    [Fact]
    public void Builder_SeveralMessages_HashesEachWithItsBigEndianLength()
    {
        using var builder = new MessageDigestBuilder();
        builder.Append([1, 2, 3]);
        builder.Append([]);
        builder.Append([4]);

        var digest = builder.Current();

        byte[] framed = [0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 1, 4];
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(framed)), 4L, 3), (digest.Sha256.ToHex(), digest.Size, digest.Messages));
    }

    [Fact]
    public void Builder_NoMessage_IsTheDigestOfNothingWithCountZero()
    {
        using var builder = new MessageDigestBuilder();

        var digest = builder.Current();

        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData([])), 0L, 0), (digest.Sha256.ToHex(), digest.Size, digest.Messages));
    }

    [Fact]
    public void Builder_CurrentOrNone_IsNullUntilAMessagePassesThenTheCurrentDigest()
    {
        using var builder = new MessageDigestBuilder();
        var before = builder.CurrentOrNone();

        builder.Append([7, 8]);

        Assert.Null(before);
        Assert.Equal(builder.Current(), builder.CurrentOrNone());
    }
}
