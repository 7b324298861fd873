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
    bool Temporary);
