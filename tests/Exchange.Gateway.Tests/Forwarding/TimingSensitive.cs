namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>
/// Tests whose outcome depends on timers firing on time (deadlines of a second or two, a partner that never
/// answers). They run on their own, after the parallel tests: on a busy test host, other test classes starting
/// gateways and regions can hold up the thread pool for hundreds of milliseconds.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Timing-sensitive forwarding";
}
