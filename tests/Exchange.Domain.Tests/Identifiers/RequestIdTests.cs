using Exchange.Domain.Identifiers;

namespace Exchange.Domain.Tests.Identifiers;

public sealed class RequestIdTests
{
    [Theory]
    [InlineData("abcdefgh")]
    [InlineData("req-2024.01:ab_C")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    [InlineData("3f2b8c1e-4d5a-4b6c-9e7f-0a1b2c3d4e5f")]
    public void TryParse_AllowedCharactersAndLength_Succeeds(string value)
    {
        var id = IdentifierAssert.Accepts<RequestId>(value);

        Assert.Equal(value, id.Value);
        Assert.Equal(value, id.ToString());
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("abcdefg", "must be 8 to 64 characters")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234", "must be 8 to 64 characters")]
    [InlineData("abcd efgh", "must use only letters, digits, '.', '_', ':' and '-'")]
    [InlineData("abcd/efgh", "must use only letters, digits, '.', '_', ':' and '-'")]
    [InlineData("abcdéfgh", "must use only letters, digits, '.', '_', ':' and '-'")]
    [InlineData("abcdefgh\n", "must use only letters, digits, '.', '_', ':' and '-'")]
    public void TryParse_InvalidValue_FailsWithReasonAndNoEcho(string? value, string expectedError)
    {
        IdentifierAssert.Rejects<RequestId>(value, expectedError);
    }

    [Fact]
    public void Equality_DiffersByCase()
    {
        Assert.NotEqual(IdentifierAssert.Accepts<RequestId>("abcdefgh"), IdentifierAssert.Accepts<RequestId>("ABCDEFGH"));
    }
}
