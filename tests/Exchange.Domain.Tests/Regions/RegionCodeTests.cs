using Exchange.Domain.Regions;
using Exchange.Domain.Tests.Identifiers;

namespace Exchange.Domain.Tests.Regions;

public sealed class RegionCodeTests
{
    [Theory]
    [InlineData("310000")]
    [InlineData("320000")]
    [InlineData("330000")]
    [InlineData("330100")]
    [InlineData("340000")]
    [InlineData("341000")]
    [InlineData("341021")]
    public void TryParse_CodeInTable_Succeeds(string value)
    {
        Assert.True(RegionCode.TryParse(value, out var error));
        Assert.Null(error);
        Assert.True(RegionCode.IsValid(value));
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("31000", "must be 6 digits")]
    [InlineData("3100001", "must be 6 digits")]
    [InlineData("31000A", "must be 6 digits")]
    [InlineData("３10000", "must be 6 digits")]
    [InlineData("999999", "names no known region")]
    [InlineData("341099", "names no known region")]
    public void TryParse_InvalidCode_FailsWithReasonAndNoEcho(string? value, string expectedError)
    {
        Assert.False(RegionCode.TryParse(value, out var error));
        Assert.Equal(expectedError, error);
        Assert.False(RegionCode.IsValid(value));
        IdentifierAssert.DoesNotEcho(value, error);
    }
}
