using Exchange.Domain.Identifiers;

namespace Exchange.Domain.Tests.Identifiers;

public sealed class SettlementMessageIdTests
{
    [Fact]
    public void TryParse_ValidMessageId_ExposesItsParts()
    {
        var id = IdentifierAssert.Accepts<SettlementMessageId>("H3301020001220240229235959" + "0042");

        Assert.Equal("H33010200012", id.InstitutionCode);
        Assert.Equal(new DateTime(2024, 2, 29, 23, 59, 59), id.Timestamp);
        Assert.Equal(DateTimeKind.Unspecified, id.Timestamp.Kind);
        Assert.Equal(42, id.Sequence);
        Assert.Equal("H33010200012202402292359590042", id.ToString());
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("H3301020001220240229235959004", "must be 30 characters")]
    [InlineData("H330102000122024022923595900421", "must be 30 characters")]
    [InlineData("h33010200012202402292359590042", "institution code (characters 1-12) must be upper-case letters or digits")]
    [InlineData("H3301020001-202402292359590042", "institution code (characters 1-12) must be upper-case letters or digits")]
    [InlineData("H33010200012202402292359X90042", "timestamp (characters 13-26) must be 14 digits")]
    [InlineData("H33010200012202302292359590042", "timestamp is not a valid date and time")]
    [InlineData("H33010200012202402300000000042", "timestamp is not a valid date and time")]
    [InlineData("H33010200012202401312400000042", "timestamp is not a valid date and time")]
    [InlineData("H33010200012202401312360000042", "timestamp is not a valid date and time")]
    [InlineData("H33010200012202401312359600042", "timestamp is not a valid date and time")]
    [InlineData("H33010200012000001010000000042", "timestamp is not a valid date and time")]
    [InlineData("H3301020001220240131000000004A", "sequence (characters 27-30) must be 4 digits")]
    public void TryParse_InvalidValue_FailsWithReasonAndNoEcho(string? value, string expectedError)
    {
        IdentifierAssert.Rejects<SettlementMessageId>(value, expectedError);
    }

    [Fact]
    public void Create_KnownParts_FormatsThirtyCharacters()
    {
        var id = SettlementMessageId.Create("H33010200012", new DateTime(2024, 2, 29, 23, 59, 59), 42);

        Assert.Equal("H33010200012202402292359590042", id.Value);
        Assert.Equal(IdentifierAssert.Accepts<SettlementMessageId>(id.Value), id);
    }

    [Fact]
    public void Create_TimestampWithFraction_DropsTheFraction()
    {
        var id = SettlementMessageId.Create(
            "H33010200012", new DateTime(2024, 1, 2, 3, 4, 5, 999, DateTimeKind.Utc), 0);

        Assert.Equal("H33010200012202401020304050000", id.Value);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5), id.Timestamp);
        Assert.Equal(DateTimeKind.Unspecified, id.Timestamp.Kind);
    }

    [Theory]
    [InlineData("H3301020001")]
    [InlineData("H330102000123")]
    [InlineData("h33010200012")]
    public void Create_BadInstitutionCode_Throws(string institutionCode)
    {
        Assert.Throws<ArgumentException>(() => SettlementMessageId.Create(institutionCode, new DateTime(2024, 1, 1), 1));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_000)]
    public void Create_SequenceOutOfRange_Throws(int sequence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => SettlementMessageId.Create("H33010200012", new DateTime(2024, 1, 1), sequence));
    }
}
