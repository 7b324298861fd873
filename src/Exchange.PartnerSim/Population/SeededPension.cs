using Exchange.Contracts.SocialSecurity.V1;

namespace Exchange.PartnerSim.Population;

/// <summary>A pension paid by the simulated region, with its yearly eligibility certification.</summary>
public sealed record SeededPension(string CitizenId, BenefitStatus Status, DateOnly LastCertificationDate);
