namespace Exchange.Gateway.Audit;

/// <summary>How the gateway dealt with an exchange. The canonical encoding and NDJSON carry the lower-case name.</summary>
internal enum AuditOutcome
{
    /// <summary>Admitted and forwarded; the partner's answer (whatever its status) was relayed.</summary>
    Accepted = 1,

    /// <summary>Refused by the gateway before forwarding: identity, policy, validation, limits.</summary>
    Rejected = 2,

    /// <summary>Admitted, but forwarding failed (no endpoint answered, deadline, outcome unknown).</summary>
    Failed = 3,

    /// <summary>A duplicate request_id answered from the idempotency store without forwarding.</summary>
    Replayed = 4,
}

/// <summary>The stable text names of <see cref="AuditOutcome"/>.</summary>
internal static class AuditOutcomeNames
{
    /// <summary>"accepted", "rejected", "failed" or "replayed".</summary>
    public static string Of(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Accepted => "accepted",
        AuditOutcome.Rejected => "rejected",
        AuditOutcome.Failed => "failed",
        AuditOutcome.Replayed => "replayed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not an audit outcome"),
    };

    /// <summary>The outcome named <paramref name="name"/>.</summary>
    public static bool TryParse(string? name, out AuditOutcome outcome)
    {
        outcome = name switch
        {
            "accepted" => AuditOutcome.Accepted,
            "rejected" => AuditOutcome.Rejected,
            "failed" => AuditOutcome.Failed,
            "replayed" => AuditOutcome.Replayed,
            _ => 0,
        };
        return outcome != 0;
    }
}
