using Exchange.Domain.Identifiers;

namespace Exchange.Domain.Tests.Identifiers;

public sealed class CardIdentificationCodeTests
{
    [Theory]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", "0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789abcdef0123456789abcdef", "0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789aBcDeF0123456789AbCdEf", "0123456789ABCDEF0123456789ABCDEF")]
    public void TryParse_HexInEitherCase_SucceedsWithUpperCaseValue(string value, string expected)
    {
        Assert.Equal(expected, IdentifierAssert.Accepts<CardIdentificationCode>(value).Value);
    }

    [Fact]
    public void TryParse_SameCodeInDifferentCase_IsEqual()
    {
        Assert.Equal(
            IdentifierAssert.Accepts<CardIdentificationCode>("0123456789abcdef0123456789abcdef"),
            IdentifierAssert.Accepts<CardIdentificationCode>("0123456789ABCDEF0123456789ABCDEF"));
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("0123456789ABCDEF0123456789ABCDE", "must be 32 characters")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF0", "must be 32 characters")]
    [InlineData("0123456789ABCDEF0123456789ABCDEG", "must use only hexadecimal digits")]
    [InlineData("0123456789ABCDEF 123456789ABCDEF", "must use only hexadecimal digits")]
    public void TryParse_InvalidValue_FailsWithReasonAndNoEcho(string? value, string expectedError)
    {
        IdentifierAssert.Rejects<CardIdentificationCode>(value, expectedError);
    }

    [Fact]
    public void ToString_DoesNotRevealTheCode()
    {
        var code = IdentifierAssert.Accepts<CardIdentificationCode>("0123456789ABCDEF0123456789ABCDEF");

        IdentifierAssert.DoesNotEcho(code.Value, code.ToString());
    }
}
