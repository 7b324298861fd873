namespace Exchange.Gateway.Tests.Faults;

/// <summary>
/// The fault runs go on their own, after the parallel tests: they count the gateway's static idempotency metric by
/// method (settlements of tests running alongside would be counted too), they hold hundreds of calls in flight, and
/// their partners' answers arrive close to the callers' deadlines, which a test host busy starting other gateways
/// and regions would delay.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultRuns
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Fault runs";
}
