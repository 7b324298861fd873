using Exchange.PartnerSim.Population;

namespace Exchange.PartnerSim.Tests.Archive;

/// <summary>Assertions that text meant for callers, logs or operators carries no personal data.</summary>
public static class Personal
{
    /// <summary>Asserts <paramref name="text"/> names neither the citizen ID nor the name of <paramref name="person"/>.</summary>
    public static void AssertAbsent(string? text, Resident person, string? otherName = null)
    {
        text ??= "";
        Assert.DoesNotContain(person.CitizenId, text, StringComparison.Ordinal);
        Assert.DoesNotContain(person.Name, text, StringComparison.Ordinal);
        if (otherName is not null)
        {
            Assert.DoesNotContain(otherName, text, StringComparison.Ordinal);
        }
    }
}
