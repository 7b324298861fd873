using System.Text;
using Exchange.Contracts.SocialSecurity.V1;

namespace Exchange.PartnerSim.Population;

/// <summary>A pension paid by the simulated region, with its yearly eligibility certification.</summary>
public sealed record SeededPension(string CitizenId, BenefitStatus Status, DateOnly LastCertificationDate)
{
    // Records print every member by default; this one names a person, which must not reach a log.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Status = ").Append(Status);
        return true;
    }
}
