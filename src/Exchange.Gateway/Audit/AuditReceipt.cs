namespace Exchange.Gateway.Audit;

/// <summary>Proof that an exchange's record is durable: where it sits in which chain, and its hash.</summary>
/// <param name="Node">The node whose chain holds the record.</param>
/// <param name="Sequence">Its sequence number.</param>
/// <param name="Hash">Its hash.</param>
internal sealed record AuditReceipt(string Node, long Sequence, AuditHash Hash);
