namespace Exchange.PartnerSim.Medical;

/// <summary>How many settlements the region has recorded (any state): reported by the control service.</summary>
public interface ISettlementCounter
{
    /// <summary>Settlements recorded since start; each request_id settles at most once.</summary>
    long SettlementCount { get; }
}
