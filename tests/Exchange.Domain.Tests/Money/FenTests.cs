using Exchange.Domain.Money;

namespace Exchange.Domain.Tests.Money;

public sealed class FenTests
{
    public static TheoryData<decimal, long> ExactYuan => new()
    {
        { 1234.05m, 123_405 },
        { 0.01m, 1 },
        { 0m, 0 },
        { -0.5m, -50 },
        { 1.050m, 105 },
        { 99_999_999_999_999.99m, Fen.MaxAmount },
        { 92_233_720_368_547_758.07m, long.MaxValue },
        { -92_233_720_368_547_758.08m, long.MinValue },
    };

    [Theory]
    [MemberData(nameof(ExactYuan))]
    public void FromYuan_WholeFen_ConvertsExactly(decimal yuan, long expected)
    {
        Assert.Equal(expected, Fen.FromYuan(yuan));
    }

    [Theory]
    [InlineData("0.001")]
    [InlineData("1.005")]
    [InlineData("-0.009")]
    [InlineData("0.0000000000000000000000000001")]
    public void FromYuan_FractionOfAFen_Throws(string yuan)
    {
        var error = Assert.Throws<ArgumentException>(
            () => Fen.FromYuan(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("yuan", error.ParamName);
    }

    [Theory]
    [InlineData("92233720368547758.08")]
    [InlineData("-92233720368547758.09")]
    [InlineData("79228162514264337593543950335")]
    public void FromYuan_BeyondInt64Fen_ThrowsOverflow(string yuan)
    {
        Assert.Throws<OverflowException>(
            () => Fen.FromYuan(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(123_405, "1234.05")]
    [InlineData(-50, "-0.50")]
    [InlineData(0, "0.00")]
    [InlineData(5, "0.05")]
    [InlineData(-5, "-0.05")]
    [InlineData(100, "1.00")]
    [InlineData(100_000_000, "1000000.00")]
    [InlineData(long.MaxValue, "92233720368547758.07")]
    [InlineData(long.MinValue, "-92233720368547758.08")]
    public void ToYuanString_AnyAmount_FormatsTwoDecimalsInvariant(long fen, string expected)
    {
        Assert.Equal(expected, Fen.ToYuanString(fen));
    }

    [Theory]
    [InlineData(1_001, 5_000, 500)]
    [InlineData(9_999, 8_500, 8_499)]
    [InlineData(1, 9_999, 0)]
    [InlineData(19_999, 1, 1)]
    [InlineData(100, 10_000, 100)]
    [InlineData(100, 0, 0)]
    [InlineData(0, 7_000, 0)]
    public void ApplyRatio_Fraction_RoundsDownToTheFen(long fen, int basisPoints, long expected)
    {
        Assert.Equal(expected, Fen.ApplyRatio(fen, basisPoints));
    }

    [Fact]
    public void ApplyRatio_LargestAmount_DoesNotOverflow()
    {
        Assert.Equal(long.MaxValue, Fen.ApplyRatio(long.MaxValue, 10_000));

        // floor(9223372036854775807 × 9999 / 10000), worked out with arbitrary precision.
        var expected = (long)(new System.Numerics.BigInteger(long.MaxValue) * 9_999 / 10_000);
        Assert.Equal(expected, Fen.ApplyRatio(long.MaxValue, 9_999));
    }

    [Theory]
    [InlineData(-1, 5_000)]
    [InlineData(100, -1)]
    [InlineData(100, 10_001)]
    [InlineData(100, int.MaxValue)]
    public void ApplyRatio_OutOfRangeArgument_Throws(long fen, int basisPoints)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Fen.ApplyRatio(fen, basisPoints));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(Fen.MaxAmount, true)]
    [InlineData(Fen.MaxAmount + 1, false)]
    [InlineData(-1, false)]
    [InlineData(long.MaxValue, false)]
    [InlineData(long.MinValue, false)]
    public void IsValidAmount_Bounds_AcceptNonNegativeUpToDecimal16Point2(long fen, bool expected)
    {
        Assert.Equal(expected, Fen.IsValidAmount(fen));
    }
}
