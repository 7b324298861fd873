using Exchange.Contracts.Medical.V1;

namespace Exchange.PartnerSim.Medical;

/// <summary>
/// A settlement as the ledger keeps it: the contract's record plus whose it is, so a cancel can check the person.
/// Mutated only under the ledger's lock; handed out only as clones.
/// </summary>
internal sealed class RecordedSettlement(string citizenId, Settlement settlement)
{
    /// <summary>The person settled for.</summary>
    public string CitizenId { get; } = citizenId;

    /// <summary>The record; its state and undo time change when it is cancelled or reversed.</summary>
    public Settlement Settlement { get; } = settlement;

    /// <inheritdoc />
    public override string ToString() => Settlement.SettlementId;
}
