using System.Text;
using Exchange.Contracts.SocialSecurity.V1;

namespace Exchange.PartnerSim.Population;

/// <summary>The social-security card a resident holds when the simulator starts.</summary>
public sealed record SeededCard(
    string CitizenId,
    string CardNumber,
    string CardIdentificationCode,
    CardStatus Status,
    CardGeneration Generation,
    DateOnly IssueDate,
    DateOnly ExpiryDate,
    bool Temporary)
{
    // Records print every member by default; this one names a person, which must not reach a log.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Status = ").Append(Status).Append(", Generation = ").Append(Generation).Append(", Temporary = ").Append(Temporary);
        return true;
    }
}
