namespace Exchange.Cli.Demo;

/// <summary>How one demo exchange went. Holds no personal data: people are described, never named or identified.</summary>
/// <param name="Direction">Which way it crossed the gateway.</param>
/// <param name="Caller">The participant that called (its certificate's CN).</param>
/// <param name="Target">The region(s) asked, e.g. "310000" or "all regions".</param>
/// <param name="Description">What was asked, e.g. "pre-settles and settles a Shanghai-insured patient's outpatient bill".</param>
/// <param name="Succeeded">True when every call of the exchange succeeded and its answer made sense.</param>
/// <param name="Detail">The outcome and key numbers, or the error.</param>
public sealed record DemoOutcome(DemoDirection Direction, string Caller, string Target, string Description, bool Succeeded, string Detail);
