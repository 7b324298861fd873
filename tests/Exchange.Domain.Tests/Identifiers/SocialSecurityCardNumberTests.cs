using Exchange.Domain.Identifiers;

namespace Exchange.Domain.Tests.Identifiers;

public sealed class SocialSecurityCardNumberTests
{
    [Theory]
    [InlineData("A12345678")]
    [InlineData("AB1234567")]
    [InlineData("Z00000000")]
    [InlineData("ABCDEFGHI")]
    public void TryParse_LetterThenLettersOrDigits_Succeeds(string value)
    {
        Assert.Equal(value, IdentifierAssert.Accepts<SocialSecurityCardNumber>(value).Value);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("A1234567", "must be 9 characters")]
    [InlineData("A123456789", "must be 9 characters")]
    [InlineData("a12345678", "must use only upper-case letters and digits")]
    [InlineData("A1234567-", "must use only upper-case letters and digits")]
    [InlineData("A1234567 ", "must use only upper-case letters and digits")]
    [InlineData("112345678", "must start with a letter")]
    public void TryParse_InvalidValue_FailsWithReasonAndNoEcho(string? value, string expectedError)
    {
        IdentifierAssert.Rejects<SocialSecurityCardNumber>(value, expectedError);
    }

    [Fact]
    public void ToString_DoesNotRevealTheNumber()
    {
        var number = IdentifierAssert.Accepts<SocialSecurityCardNumber>("A12345678");

        IdentifierAssert.DoesNotEcho(number.Value, number.ToString());
    }
}
