using Exchange.Domain.Identifiers;

namespace Exchange.Domain.Tests.Identifiers;

public sealed class CitizenIdTests
{
    private static readonly DateOnly Today = new(2025, 6, 1);

    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("440524188001010014")]
    [InlineData("11010219840406970X")]
    public void TryParse_PublishedValidVector_Succeeds(string value)
    {
        var id = IdentifierAssert.Accepts<CitizenId>(value);

        Assert.Equal(value, id.Value);
    }

    [Theory]
    [InlineData("11010519491231002X", "110105", 1949, 12, 31, 2, false)]
    [InlineData("440524188001010014", "440524", 1880, 1, 1, 1, true)]
    [InlineData("11010219840406970X", "110102", 1984, 4, 6, 970, false)]
    public void TryParse_ValidId_ExposesItsParts(
        string value, string addressCode, int year, int month, int day, int sequence, bool isMale)
    {
        Assert.True(CitizenId.TryParse(value, Today, out var id, out _));

        Assert.Equal(addressCode, id.AddressCode);
        Assert.Equal(new DateOnly(year, month, day), id.BirthDate);
        Assert.Equal(sequence, id.Sequence);
        Assert.Equal(isMale, id.IsMale);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("11010519491231002", "must be 18 characters")]
    [InlineData("11010519491231002XX", "must be 18 characters")]
    [InlineData(" 11010519491231002X", "must be 18 characters")]
    [InlineData("11010519491231002x", "check character must be a digit or upper-case X")]
    [InlineData("11010519491231002Y", "check character must be a digit or upper-case X")]
    [InlineData("1101051949123100AX", "first 17 characters must be digits")]
    [InlineData("１10105194912310021", "first 17 characters must be digits")]
    [InlineData("110105194912310021", "check character does not match")]
    [InlineData("110105194902300020", "birth date is not a valid date")]
    [InlineData("990105194912310023", "address code names no known province")]
    [InlineData("710105194912310021", "address code names no known province")]
    [InlineData("110105179912310024", "birth date is before 1800")]
    [InlineData("110105203001010028", "birth date is in the future")]
    public void TryParse_InvalidValue_FailsWithReasonAndNoEcho(string? value, string expectedError)
    {
        IdentifierAssert.Rejects<CitizenId>(value, expectedError);
    }

    [Fact]
    public void TryParse_WrongCheckCharacter_Fails()
    {
        Assert.False(CitizenId.TryParse("110105194912310021", Today, out _, out var error));
        Assert.Equal("check character does not match", error);
    }

    [Fact]
    public void TryParse_LowerCaseX_Fails()
    {
        Assert.False(CitizenId.IsValid("11010519491231002x", Today));
    }

    [Fact]
    public void TryParse_BirthDateToday_Succeeds()
    {
        Assert.True(CitizenId.TryParse("110105202506010029", Today, out var id, out var error), error);
        Assert.Equal(Today, id.BirthDate);
    }

    [Fact]
    public void TryParse_BirthDateTomorrow_FailsAsFuture()
    {
        Assert.False(CitizenId.TryParse("110105202506020024", Today, out _, out var error));
        Assert.Equal("birth date is in the future", error);
    }

    [Fact]
    public void TryParse_RetiredCountyWithKnownProvince_Succeeds()
    {
        // 110105 is current, but the rule is the province prefix only: 11 with an unused county 1199.
        var id = CitizenId.Create("119999", new DateOnly(1960, 5, 5), 11, Today);

        Assert.True(CitizenId.IsValid(id.Value, Today));
    }

    [Theory]
    [InlineData("11010519491231002", 'X')]
    [InlineData("44052418800101001", '4')]
    [InlineData("34102119000101000", 'X')]
    [InlineData("11010519490230002", '0')]
    public void ComputeCheckCharacter_KnownBody_ReturnsStandardCharacter(string first17, char expected)
    {
        Assert.Equal(expected, CitizenId.ComputeCheckCharacter(first17));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1101051949123100")]
    [InlineData("11010519491231002X")]
    [InlineData("1101051949123100A")]
    public void ComputeCheckCharacter_NotSeventeenDigits_Throws(string first17)
    {
        Assert.Throws<ArgumentException>(() => CitizenId.ComputeCheckCharacter(first17));
    }

    [Fact]
    public void Create_KnownParts_ProducesIndependentlyComputedId()
    {
        var id = CitizenId.Create("341021", new DateOnly(1950, 3, 15), 7, Today);

        Assert.Equal("341021195003150076", id.Value);
        Assert.Equal("341021", id.AddressCode);
        Assert.Equal(new DateOnly(1950, 3, 15), id.BirthDate);
        Assert.Equal(7, id.Sequence);
        Assert.True(id.IsMale);
    }

    [Fact]
    public void Create_WithoutToday_UsesClockAndAcceptsPastDate()
    {
        var id = CitizenId.Create("110105", new DateOnly(1949, 12, 31), 2);

        Assert.Equal("11010519491231002X", id.Value);
    }

    [Theory]
    [InlineData("34102")]
    [InlineData("3410211")]
    [InlineData("34102A")]
    [InlineData("991021")]
    public void Create_BadAddressCode_Throws(string addressCode)
    {
        Assert.Throws<ArgumentException>(() => CitizenId.Create(addressCode, new DateOnly(1950, 1, 1), 1, Today));
    }

    [Theory]
    [InlineData(1799, 12, 31, 1)]
    [InlineData(2025, 6, 2, 1)]
    [InlineData(1950, 1, 1, -1)]
    [InlineData(1950, 1, 1, 1000)]
    public void Create_OutOfRangeDateOrSequence_Throws(int year, int month, int day, int sequence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => CitizenId.Create("341021", new DateOnly(year, month, day), sequence, Today));
    }

    [Fact]
    public void ToString_DoesNotRevealTheNumber()
    {
        var id = CitizenId.Create("341021", new DateOnly(1950, 3, 15), 7, Today);

        IdentifierAssert.DoesNotEcho(id.Value, id.ToString());
        IdentifierAssert.DoesNotEcho(id.Value, $"{id}");
    }

    [Fact]
    public void Equality_SameNumber_IsEqual()
    {
        Assert.True(CitizenId.TryParse("11010519491231002X", Today, out var a, out _));
        Assert.True(CitizenId.TryParse(new string("11010519491231002X".AsSpan()), Today, out var b, out _));

        Assert.Equal(a, b);
    }
}
