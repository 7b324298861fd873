using Exchange.Domain.Identifiers;

namespace Exchange.Domain.Tests.Identifiers;

public sealed class UnifiedSocialCreditCodeTests
{
    [Theory]
    [InlineData("91310110666007217T")]
    [InlineData("91310115591693856A")]
    [InlineData("91350200776049653A")]
    public void TryParse_PublishedValidVector_Succeeds(string value)
    {
        var code = IdentifierAssert.Accepts<UnifiedSocialCreditCode>(value);

        Assert.Equal(value, code.Value);
        Assert.Equal(value, code.ToString());
    }

    [Fact]
    public void TryParse_ValidCode_ExposesItsParts()
    {
        var code = IdentifierAssert.Accepts<UnifiedSocialCreditCode>("91310110666007217T");

        Assert.Equal('9', code.RegisteringAuthority);
        Assert.Equal('1', code.InstitutionType);
        Assert.Equal("310110", code.RegionCode);
        Assert.Equal("666007217", code.OrganisationCode);
    }

    [Theory]
    [InlineData("91310110666007217T")]
    [InlineData("91310115591693856A")]
    [InlineData("91350200776049653A")]
    public void TryParse_PublishedVector_AlsoSatisfiesOrganisationCodeCheck(string value)
    {
        Assert.True(IdentifierAssert.Accepts<UnifiedSocialCreditCode>(value).HasValidOrganisationCodeCheck);
    }

    [Fact]
    public void TryParse_OrganisationCheckWrongButCodeCheckRight_SucceedsAndReportsIt()
    {
        // Organisation check changed from 7 to 8 and the 18th character recomputed: parse must not insist on GB 11714.
        var code = IdentifierAssert.Accepts<UnifiedSocialCreditCode>(
            "91310110666007218" + UnifiedSocialCreditCode.ComputeCheckCharacter("91310110666007218"));

        Assert.False(code.HasValidOrganisationCodeCheck);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("91310110666007217", "must be 18 characters")]
    [InlineData("91310110666007217TT", "must be 18 characters")]
    [InlineData("91310110666007217t", "must use only digits and upper-case letters other than I, O, S, V and Z")]
    [InlineData("91310110666007217I", "must use only digits and upper-case letters other than I, O, S, V and Z")]
    [InlineData("9131011066600721OT", "must use only digits and upper-case letters other than I, O, S, V and Z")]
    [InlineData("S1310110666007217T", "must use only digits and upper-case letters other than I, O, S, V and Z")]
    [InlineData("91310110666007217-", "must use only digits and upper-case letters other than I, O, S, V and Z")]
    [InlineData("91A10110666007217R", "region code (positions 3-8) must be 6 digits")]
    [InlineData("91350211M00013FA1N", "check character does not match")]
    [InlineData("91310110666007217A", "check character does not match")]
    public void TryParse_InvalidValue_FailsWithReasonAndNoEcho(string? value, string expectedError)
    {
        IdentifierAssert.Rejects<UnifiedSocialCreditCode>(value, expectedError);
    }

    [Fact]
    public void TryParse_WrongCheckCharacter_Fails()
    {
        Assert.False(UnifiedSocialCreditCode.TryParse("91350211M00013FA1N", out _, out var error));
        Assert.Equal("check character does not match", error);
    }

    [Theory]
    [InlineData("91310110666007217", 'T')]
    [InlineData("91310115591693856", 'A')]
    [InlineData("91350200776049653", 'A')]
    [InlineData("91350211M00013FA1", '3')]
    public void ComputeCheckCharacter_KnownBody_ReturnsStandardCharacter(string first17, char expected)
    {
        Assert.Equal(expected, UnifiedSocialCreditCode.ComputeCheckCharacter(first17));
    }

    [Theory]
    [InlineData("9131011066600721")]
    [InlineData("91310110666007217T")]
    [InlineData("9131011066600721I")]
    [InlineData("9131011066600721a")]
    public void ComputeCheckCharacter_NotSeventeenAlphabetCharacters_Throws(string first17)
    {
        Assert.Throws<ArgumentException>(() => UnifiedSocialCreditCode.ComputeCheckCharacter(first17));
    }

    [Theory]
    [InlineData("66600721", '7')]
    [InlineData("59169385", '6')]
    [InlineData("77604965", '3')]
    [InlineData("4JURQ283", '0')]
    [InlineData("XHXL35LP", 'X')]
    [InlineData("699JWFUY", '5')]
    public void ComputeOrganisationCodeCheckCharacter_KnownBody_ReturnsGb11714Character(string body, char expected)
    {
        Assert.Equal(expected, UnifiedSocialCreditCode.ComputeOrganisationCodeCheckCharacter(body));
    }

    [Theory]
    [InlineData("6660072")]
    [InlineData("666007211")]
    [InlineData("6660072a")]
    public void ComputeOrganisationCodeCheckCharacter_NotEightCharacters_Throws(string body)
    {
        Assert.Throws<ArgumentException>(() => UnifiedSocialCreditCode.ComputeOrganisationCodeCheckCharacter(body));
    }

    [Theory]
    [InlineData('9', '1', "310110", "66600721", "91310110666007217T")]
    [InlineData('9', '1', "310115", "59169385", "91310115591693856A")]
    [InlineData('9', '1', "350200", "77604965", "91350200776049653A")]
    [InlineData('9', '2', "341021", "4JURQ283", "923410214JURQ28302")]
    [InlineData('9', '2', "341021", "XHXL35LP", "92341021XHXL35LPX1")]
    [InlineData('9', '2', "341021", "699JWFUY", "92341021699JWFUY5Q")]
    public void Create_KnownParts_ReproducesTheCode(
        char authority, char type, string region, string body, string expected)
    {
        var code = UnifiedSocialCreditCode.Create(authority, type, region, body);

        Assert.Equal(expected, code.Value);
        Assert.True(code.HasValidOrganisationCodeCheck);
    }

    [Theory]
    [InlineData('I', '1', "310110", "66600721")]
    [InlineData('9', 'z', "310110", "66600721")]
    [InlineData('9', '1', "31011", "66600721")]
    [InlineData('9', '1', "3101A0", "66600721")]
    [InlineData('9', '1', "310110", "6660072")]
    [InlineData('9', '1', "310110", "6660072O")]
    public void Create_InvalidPart_Throws(char authority, char type, string region, string body)
    {
        Assert.Throws<ArgumentException>(() => UnifiedSocialCreditCode.Create(authority, type, region, body));
    }
}
