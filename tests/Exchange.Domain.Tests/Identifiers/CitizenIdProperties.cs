using Exchange.Domain.Identifiers;
using FsCheck.Xunit;

namespace Exchange.Domain.Tests.Identifiers;

public sealed class CitizenIdProperties
{
    private const string CheckAlphabet = "0123456789X";

    [Property(Arbitrary = [typeof(IdentifierArbitraries)])]
    public void Create_AnyKnownCountyDateAndSequence_ParsesBackToTheSameParts(CitizenIdParts parts)
    {
        var created = CitizenId.Create(parts.AddressCode, parts.BirthDate, parts.Sequence, IdentifierArbitraries.Today);

        Assert.True(CitizenId.TryParse(created.Value, IdentifierArbitraries.Today, out var parsed, out var error), error);
        Assert.Equal(created, parsed);
        Assert.Equal(parts.AddressCode, parsed.AddressCode);
        Assert.Equal(parts.BirthDate, parsed.BirthDate);
        Assert.Equal(parts.Sequence, parsed.Sequence);
        Assert.Equal(parts.Sequence % 2 == 1, parsed.IsMale);
    }

    [Property(Arbitrary = [typeof(IdentifierArbitraries)])]
    public void TryParse_AnySingleCharacterChange_Fails(CitizenIdParts parts)
    {
        var valid = CitizenId.Create(parts.AddressCode, parts.BirthDate, parts.Sequence, IdentifierArbitraries.Today).Value;

        for (var position = 0; position < valid.Length; position++)
        {
            foreach (var replacement in CheckAlphabet)
            {
                if (replacement == valid[position])
                {
                    continue;
                }

                var changed = string.Concat(valid.AsSpan(0, position), [replacement], valid.AsSpan(position + 1));
                Assert.False(
                    CitizenId.TryParse(changed, IdentifierArbitraries.Today, out _, out var error),
                    $"changing position {position + 1} to '{replacement}' was accepted");
                IdentifierAssert.DoesNotEcho(changed, error);
            }
        }
    }
}
