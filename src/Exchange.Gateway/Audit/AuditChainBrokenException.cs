namespace Exchange.Gateway.Audit;

/// <summary>A stored chain does not hold together, so the trail will not extend it: an operator must run the verifier.</summary>
public sealed class AuditChainBrokenException : Exception
{
    /// <summary>An exception naming the node, the first bad sequence and why.</summary>
    public AuditChainBrokenException(string node, long sequence, string reason)
        : base($"audit chain of node '{node}' is broken at record {sequence}: {reason}")
    {
        Node = node;
        Sequence = sequence;
    }

    /// <summary>Creates an exception.</summary>
    public AuditChainBrokenException()
        : this("?", 0, "unknown")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public AuditChainBrokenException(string message)
        : base(message)
    {
        Node = "?";
    }

    /// <summary>Creates an exception with a message and inner exception.</summary>
    public AuditChainBrokenException(string message, Exception innerException)
        : base(message, innerException)
    {
        Node = "?";
    }

    /// <summary>The node.</summary>
    public string Node { get; }

    /// <summary>The first record that is not as it should be.</summary>
    public long Sequence { get; }
}
