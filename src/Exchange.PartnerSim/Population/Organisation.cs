namespace Exchange.PartnerSim.Population;

/// <summary>An organisation registered in the simulated region.</summary>
/// <param name="CreditCode">Valid GB 32100 unified social credit code registered in the region.</param>
/// <param name="Name">Registered name.</param>
/// <param name="CountyCode">The county of registration (positions 3–8 of the code).</param>
public sealed record Organisation(string CreditCode, string Name, string CountyCode);
