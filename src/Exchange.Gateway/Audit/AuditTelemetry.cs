using System.Diagnostics;
using System.Diagnostics.Metrics;
using Exchange.Gateway.Telemetry;

namespace Exchange.Gateway.Audit;

/// <summary>Metrics of the audit trail, on the gateway's meter, tagged with the node only.</summary>
internal static class AuditTelemetry
{
    private static readonly Meter Meter = new(GatewayTelemetry.Name);

    private static readonly Counter<long> Records = Meter.CreateCounter<long>(
        "exchange.gateway.audit.records", unit: "{record}", description: "Audit records made durable.");

    private static readonly Histogram<double> FlushDuration = Meter.CreateHistogram<double>(
        "exchange.gateway.audit.flush.duration", unit: "s", description: "Time to write and commit one batch of audit records.");

    private static readonly Histogram<long> BatchSize = Meter.CreateHistogram<long>(
        "exchange.gateway.audit.batch.size", unit: "{record}", description: "Audit records sharing one commit.");

    private static readonly Counter<long> Failures = Meter.CreateCounter<long>(
        "exchange.gateway.audit.failures", unit: "{failure}", description: "Failed audit store writes; each refuses the exchanges of its batch.");

    private static readonly Counter<long> Checkpoints = Meter.CreateCounter<long>(
        "exchange.gateway.audit.checkpoints", unit: "{checkpoint}", description: "Signed audit checkpoints written.");

    /// <summary>Records one committed batch.</summary>
    public static void Flushed(string node, int records, TimeSpan duration)
    {
        var tags = new TagList { { "exchange.audit.node", node } };
        Records.Add(records, tags);
        BatchSize.Record(records, tags);
        FlushDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Counts a failed write.</summary>
    public static void Failed(string node) => Failures.Add(1, new TagList { { "exchange.audit.node", node } });

    /// <summary>Counts a checkpoint.</summary>
    public static void Checkpointed(string node) => Checkpoints.Add(1, new TagList { { "exchange.audit.node", node } });
}
