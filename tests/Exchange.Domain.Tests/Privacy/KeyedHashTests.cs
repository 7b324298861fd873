using Exchange.Domain.Privacy;

namespace Exchange.Domain.Tests.Privacy;

public sealed class KeyedHashTests
{
    // Key 0x00..0x1f; expected values from Python: hmac.new(bytes(range(32)), s.encode(), hashlib.sha256).hexdigest()
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    [Theory]
    [InlineData("11010519491231002X", "a66755453b106dcea0cfa264214ae59ff1e8b067f3e5f3aa8085e1d8757880eb")]
    [InlineData("张三", "f816bf03f906c81a577a6e55c71fb0f25258befe2deafb9334b12c0a9a74d804")]
    public void ComputeHex_KnownVector_MatchesIndependentHmac(string identifier, string expected)
    {
        var hash = KeyedHash.ComputeHex(Key, identifier);

        Assert.Equal(expected, hash);
        Assert.True(KeyedHash.IsWellFormed(hash));
    }

    [Fact]
    public void ComputeHex_IdentifierLongerThanStackBuffer_MatchesIndependentHmac()
    {
        Assert.Equal(
            "d33e4e55394fcab1568facc89482436010a135f08717d32a15dfb3176c7b5004",
            KeyedHash.ComputeHex(Key, new string('a', 1000)));
    }

    [Fact]
    public void ComputeHex_Rfc4231StyleKey_MatchesIndependentHmac()
    {
        var key = Enumerable.Repeat((byte)0x0b, 32).ToArray();

        Assert.Equal(
            "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7",
            KeyedHash.ComputeHex(key, "Hi There"));
    }

    [Fact]
    public void ComputeHex_DifferentKeys_GiveDifferentHashes()
    {
        var otherKey = Key.Reverse().ToArray();

        Assert.NotEqual(KeyedHash.ComputeHex(Key, "11010519491231002X"), KeyedHash.ComputeHex(otherKey, "11010519491231002X"));
    }

    [Fact]
    public void ComputeHex_Result_DoesNotContainTheIdentifier()
    {
        Assert.DoesNotContain("11010519491231002X", KeyedHash.ComputeHex(Key, "11010519491231002X"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ComputeHex_KeyShorterThan32Bytes_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => KeyedHash.ComputeHex(Key.AsSpan(0, 31), "11010519491231002X"));
        Assert.Equal("key", error.ParamName);
    }

    [Fact]
    public void ComputeHex_EmptyOrNullIdentifier_Throws()
    {
        Assert.Throws<ArgumentException>(() => KeyedHash.ComputeHex(Key, string.Empty));
        Assert.Throws<ArgumentNullException>(() => KeyedHash.ComputeHex(Key, null!));
    }

    [Theory]
    [InlineData("a66755453b106dcea0cfa264214ae59ff1e8b067f3e5f3aa8085e1d8757880eb", true)]
    [InlineData("A66755453B106DCEA0CFA264214AE59FF1E8B067F3E5F3AA8085E1D8757880EB", false)]
    [InlineData("a66755453b106dcea0cfa264214ae59ff1e8b067f3e5f3aa8085e1d8757880e", false)]
    [InlineData("a66755453b106dcea0cfa264214ae59ff1e8b067f3e5f3aa8085e1d8757880eb0", false)]
    [InlineData("g66755453b106dcea0cfa264214ae59ff1e8b067f3e5f3aa8085e1d8757880eb", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsWellFormed_Candidate_RequiresSixtyFourLowerCaseHex(string? value, bool expected)
    {
        Assert.Equal(expected, KeyedHash.IsWellFormed(value));
    }
}
