using System.Diagnostics;
using System.Diagnostics.Metrics;
using Exchange.Gateway.Telemetry;

namespace Exchange.Gateway.Idempotency;

/// <summary>
/// Metric of exactly-once treatment, on the gateway's meter: how each call with a request_id was handled. Duplicates
/// suppressed are the replayed, coalesced and awaited ones.
/// </summary>
internal static class IdempotencyTelemetry
{
    /// <summary>Forwarded for the first time.</summary>
    public const string Forwarded = "forwarded";

    /// <summary>Resent under the same request_id after an unknown outcome or an expired lease.</summary>
    public const string Resent = "resent";

    /// <summary>Answered from the store without forwarding.</summary>
    public const string Replayed = "replayed";

    /// <summary>Joined a concurrent identical call in this process and got its answer.</summary>
    public const string Coalesced = "coalesced";

    /// <summary>Waited for a concurrent identical call forwarded by another gateway, and got its answer from the store.</summary>
    public const string Awaited = "awaited";

    /// <summary>Refused: the request_id was used for a different request.</summary>
    public const string Conflict = "conflict";

    /// <summary>Forwarded, and the outcome is unknown.</summary>
    public const string Unknown = "unknown";

    /// <summary>Forwarded, and provably not carried out: the entry was released.</summary>
    public const string Released = "released";

    /// <summary>Gave up waiting for a concurrent identical call at the caller's deadline.</summary>
    public const string InProgress = "in_progress";

    private static readonly Meter Meter = new(GatewayTelemetry.Name);

    private static readonly Counter<long> Calls = Meter.CreateCounter<long>(
        "exchange.gateway.idempotency.calls", unit: "{call}", description: "Calls with a request_id, by method and how exactly-once treatment handled them.");

    /// <summary>Counts one call of <paramref name="method"/> handled as <paramref name="handling"/>.</summary>
    public static void Count(string method, string handling) =>
        Calls.Add(1, new TagList { { "rpc.method", method }, { "exchange.idempotency.handling", handling } });
}
