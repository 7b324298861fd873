using Exchange.Domain.Identifiers;
using FsCheck.Xunit;

namespace Exchange.Domain.Tests.Identifiers;

public sealed class UnifiedSocialCreditCodeProperties
{
    [Property(Arbitrary = [typeof(IdentifierArbitraries)])]
    public void Create_AnyParts_ParsesBackToTheSameParts(CreditCodeParts parts)
    {
        var created = UnifiedSocialCreditCode.Create(
            parts.RegisteringAuthority, parts.InstitutionType, parts.RegionCode, parts.Body);

        var parsed = IdentifierAssert.Accepts<UnifiedSocialCreditCode>(created.Value);
        Assert.Equal(created, parsed);
        Assert.Equal(parts.RegisteringAuthority, parsed.RegisteringAuthority);
        Assert.Equal(parts.InstitutionType, parsed.InstitutionType);
        Assert.Equal(parts.RegionCode, parsed.RegionCode);
        Assert.StartsWith(parts.Body, parsed.OrganisationCode, StringComparison.Ordinal);
        Assert.True(parsed.HasValidOrganisationCodeCheck);
    }

    [Property(Arbitrary = [typeof(IdentifierArbitraries)])]
    public void TryParse_AnySingleCharacterChange_Fails(CreditCodeParts parts)
    {
        var valid = UnifiedSocialCreditCode.Create(
            parts.RegisteringAuthority, parts.InstitutionType, parts.RegionCode, parts.Body).Value;

        for (var position = 0; position < valid.Length; position++)
        {
            foreach (var replacement in UnifiedSocialCreditCode.Alphabet)
            {
                if (replacement == valid[position])
                {
                    continue;
                }

                var changed = string.Concat(valid.AsSpan(0, position), [replacement], valid.AsSpan(position + 1));
                Assert.False(
                    UnifiedSocialCreditCode.TryParse(changed, out _, out var error),
                    $"changing position {position + 1} to '{replacement}' was accepted");
                IdentifierAssert.DoesNotEcho(changed, error);
            }
        }
    }
}
