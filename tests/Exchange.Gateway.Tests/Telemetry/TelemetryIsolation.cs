namespace Exchange.Gateway.Tests.Telemetry;

/// <summary>
/// The telemetry tests run on their own: the gateway's ActivitySource and Meter are static, so measurements of
/// exchanges made by tests running alongside would be counted too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryIsolation
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Gateway telemetry";
}
