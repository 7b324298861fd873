using Exchange.Gateway.Audit;
using static Exchange.Gateway.Tests.Audit.AuditTestData;

namespace Exchange.Gateway.Tests.Audit;

public sealed class AuditEntryTests
{
    [Fact]
    public void Validate_TypicalEntry_Passes() => Entry(1, Clock()).Validate();

    [Theory]
    [InlineData("Caller", "11010519491231002X")]
    [InlineData("Caller", "hospital-440524188001010014")]
    [InlineData("TargetEndpoint", "https://x.example/6222021234567890123")]
    [InlineData("Method", "张三")]
    [InlineData("Purpose", "for Zhang San")]
    [InlineData("Service", "")]
    [InlineData("TraceId", "trace\nid")]
    public void Validate_TextThatCouldCarryPersonalData_IsRejectedNamingTheField(string field, string value)
    {
        var entry = Entry(1, Clock());
        entry = field switch
        {
            "Caller" => entry with { Caller = value },
            "TargetEndpoint" => entry with { TargetEndpoint = value },
            "Method" => entry with { Method = value },
            "Purpose" => entry with { Purpose = value },
            "Service" => entry with { Service = value },
            _ => entry with { TraceId = value },
        };

        var error = Assert.Throws<ArgumentException>(entry.Validate);

        Assert.Equal(field, error.ParamName);
    }

    [Fact]
    public void Validate_ExchangeIdOfHexDigits_IsAccepted() =>
        (Entry(1, Clock()) with { ExchangeId = "12345678901234567890123456789012" }).Validate();

    [Fact]
    public void Validate_NegativeAttempts_AreRejected() =>
        Assert.Equal("Attempts", Assert.Throws<ArgumentException>((Entry(1, Clock()) with { Attempts = -1 }).Validate).ParamName);

    [Fact]
    public void Hasher_SameIdentifier_SameHashAndNeverTheIdentifier()
    {
        using var hasher = new AuditSubjectHasher(SubjectKey);
        using var other = new AuditSubjectHasher([.. SubjectKey.Reverse()]);

        var hash = hasher.Hash("11010519491231002X");

        Assert.Equal(hash, hasher.Hash("11010519491231002X"));
        Assert.NotEqual(hash, other.Hash("11010519491231002X"));
        Assert.NotEqual(hash, hasher.Hash("440524188001010014"));
        Assert.Equal(64, hash.Hex.Length);
    }

    [Fact]
    public void SubjectHash_RawIdentifier_CannotBeParsedAsAHash() =>
        Assert.Throws<FormatException>(() => SubjectHash.Parse("11010519491231002X"));
}
