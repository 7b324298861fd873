namespace Exchange.Cli.Demo;

/// <summary>A call succeeded but its answer is not what the exchange needs (e.g. a certificate that does not verify).</summary>
internal sealed class DemoFailure(string message) : Exception(message);
