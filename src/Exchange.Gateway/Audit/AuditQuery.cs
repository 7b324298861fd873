using Grpc.Core;

namespace Exchange.Gateway.Audit;

/// <summary>
/// A search of the audit trail. Every criterion is optional and they all apply (AND). Results come in (node,
/// sequence) order, a page at a time: pass the previous page's <see cref="AuditPage.Next"/> as <see cref="After"/>.
/// </summary>
internal sealed record AuditQuery
{
    /// <summary>Largest page served.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>Received at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Received before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only this node's chain.</summary>
    public string? Node { get; init; }

    /// <summary>Called by this participant.</summary>
    public string? Caller { get; init; }

    /// <summary>Of this service (full name).</summary>
    public string? Service { get; init; }

    /// <summary>Of this method (with <see cref="Service"/>, or of any service).</summary>
    public string? Method { get; init; }

    /// <summary>Answered with this status.</summary>
    public StatusCode? Status { get; init; }

    /// <summary>In this trace.</summary>
    public string? TraceId { get; init; }

    /// <summary>Concerning this data subject (hash it with <see cref="AuditSubjectHasher"/>).</summary>
    public SubjectHash? Subject { get; init; }

    /// <summary>Results after this position (exclusive), or from the start.</summary>
    public AuditCursor? After { get; init; }

    /// <summary>Most records in one page. Default 100.</summary>
    public int PageSize { get; init; } = 100;
}

/// <summary>A position in the trail's (node, sequence) order.</summary>
/// <param name="Node">Node of the last record seen.</param>
/// <param name="Sequence">Its sequence.</param>
internal sealed record AuditCursor(string Node, long Sequence);

/// <summary>One page of query results.</summary>
/// <param name="Records">The records, in (node, sequence) order.</param>
/// <param name="Next">Where the next page starts, or null when this is the last.</param>
internal sealed record AuditPage(IReadOnlyList<AuditRecord> Records, AuditCursor? Next);
