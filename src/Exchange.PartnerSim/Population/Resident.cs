using System.Text;
namespace Exchange.PartnerSim.Population;

/// <summary>A person living in (and born in) the simulated region.</summary>
/// <param name="CitizenId">Valid GB 11643 ID whose address code is a county of the region.</param>
/// <param name="Name">Full name.</param>
/// <param name="BirthDate">Birth date, as encoded in the ID.</param>
/// <param name="IsMale">Sex, as encoded in the ID.</param>
/// <param name="CountyCode">The county of the address code.</param>
public sealed record Resident(string CitizenId, string Name, DateOnly BirthDate, bool IsMale, string CountyCode)
{
    // Records print every member by default; this one names a person, which must not reach a log.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("CountyCode = ").Append(CountyCode);
        return true;
    }
}
