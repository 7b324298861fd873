using System.Collections.Immutable;
using Grpc.Core;

namespace Exchange.Gateway.Audit;

/// <summary>
/// What the request path tells the audit trail about one exchange, once it is answered. Holds no personal data:
/// data subjects only as keyed hashes (<see cref="AuditSubjectHasher"/>), messages only as digests. Every text is an
/// identifier (participant, region, endpoint, method, ids) and must be printable ASCII; <see cref="Validate"/>
/// refuses anything else, and long digit runs where an ID or card number could hide.
/// </summary>
internal sealed record AuditEntry
{
    /// <summary>Longest text accepted in any field.</summary>
    public const int MaxTextLength = 256;

    /// <summary>The gateway's id of this exchange (unique per node); a fan-out leg has its own.</summary>
    public required string ExchangeId { get; init; }

    /// <summary>The exchange this one is a leg of (fan-out), or null.</summary>
    public string? ParentExchangeId { get; init; }

    /// <summary>W3C trace id (32 lower-case hex), or null.</summary>
    public string? TraceId { get; init; }

    /// <summary>The calling participant (from its client certificate).</summary>
    public required string Caller { get; init; }

    /// <summary>GB/T 2260 code of the target region, or null when the exchange never got as far as routing.</summary>
    public string? TargetRegion { get; init; }

    /// <summary>The endpoint that answered (its configured address), or null.</summary>
    public string? TargetEndpoint { get; init; }

    /// <summary>Full name of the gRPC service, e.g. "exchange.medical.v1.CrossRegionSettlementService".</summary>
    public required string Service { get; init; }

    /// <summary>Name of the method, e.g. "Settle".</summary>
    public required string Method { get; init; }

    /// <summary>The purpose of use as its proto name, e.g. "PURPOSE_OF_USE_MEDICAL_SETTLEMENT".</summary>
    public string Purpose { get; init; } = "PURPOSE_OF_USE_UNSPECIFIED";

    /// <summary>Keyed hashes of the data subjects' identifiers, in the order the request names them.</summary>
    public ImmutableArray<SubjectHash> SubjectHashes { get; init; } = [];

    /// <summary>Digest of the request, or null when it was never read.</summary>
    public MessageDigest? Request { get; init; }

    /// <summary>Digest of the response, or null when none was sent (errors).</summary>
    public MessageDigest? Response { get; init; }

    /// <summary>The final gRPC status the caller received.</summary>
    public required StatusCode Status { get; init; }

    /// <summary>How the gateway dealt with the exchange.</summary>
    public required AuditOutcome Outcome { get; init; }

    /// <summary>Outbound attempts made (retries and hedges included); 0 when nothing was forwarded.</summary>
    public int Attempts { get; init; }

    /// <summary>When the gateway received the call (UTC).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>When the first outbound attempt started, or null when nothing was forwarded.</summary>
    public DateTimeOffset? ForwardedAt { get; init; }

    /// <summary>When the answer was ready to leave the gateway.</summary>
    public required DateTimeOffset AnsweredAt { get; init; }

    /// <summary>This entry with every time in UTC and cut to whole microseconds: how it is hashed and stored.</summary>
    public AuditEntry Normalized() => this with
    {
        ReceivedAt = AuditTime.Normalize(ReceivedAt),
        ForwardedAt = ForwardedAt is { } forwarded ? AuditTime.Normalize(forwarded) : null,
        AnsweredAt = AuditTime.Normalize(AnsweredAt),
        SubjectHashes = SubjectHashes.IsDefault ? [] : SubjectHashes,
    };

    /// <summary>Throws when a field is missing or could carry personal data in clear.</summary>
    /// <exception cref="ArgumentException">The offending field is named.</exception>
    public void Validate()
    {
        Identifier(ExchangeId, nameof(ExchangeId), required: true, digitGuard: false);
        Identifier(ParentExchangeId, nameof(ParentExchangeId), required: false, digitGuard: false);
        Identifier(TraceId, nameof(TraceId), required: false, digitGuard: false);
        Identifier(Caller, nameof(Caller), required: true, digitGuard: true);
        Identifier(TargetRegion, nameof(TargetRegion), required: false, digitGuard: true);
        Identifier(TargetEndpoint, nameof(TargetEndpoint), required: false, digitGuard: true);
        Identifier(Service, nameof(Service), required: true, digitGuard: true);
        Identifier(Method, nameof(Method), required: true, digitGuard: true);
        Identifier(Purpose, nameof(Purpose), required: true, digitGuard: true);
        if (!SubjectHashes.IsDefault && SubjectHashes.Any(h => h.Hex is null))
        {
            throw new ArgumentException("contains an empty subject hash", nameof(SubjectHashes));
        }

        if (!Enum.IsDefined(Outcome))
        {
            throw new ArgumentException($"{(int)Outcome} is not an audit outcome", nameof(Outcome));
        }

        if (Attempts < 0)
        {
            throw new ArgumentException("must not be negative", nameof(Attempts));
        }

        CheckDigest(Request, nameof(Request));
        CheckDigest(Response, nameof(Response));
    }

    private static void CheckDigest(MessageDigest? digest, string field)
    {
        if (digest is { } d && (d.Size < 0 || d.Messages < 0))
        {
            throw new ArgumentException("size and message count must not be negative", field);
        }
    }

    private static void Identifier(string? value, string field, bool required, bool digitGuard)
    {
        if (value is null)
        {
            if (required)
            {
                throw new ArgumentException("must be set", field);
            }

            return;
        }

        if (value.Length is 0 or > MaxTextLength)
        {
            throw new ArgumentException($"must be 1 to {MaxTextLength} characters", field);
        }

        var digits = 0;
        foreach (var c in value)
        {
            // Printable ASCII only: a name in Chinese characters, or any free text, cannot pass.
            if (c is < '!' or > '~')
            {
                throw new ArgumentException("must be printable ASCII without spaces (an identifier, never personal data)", field);
            }

            digits = char.IsAsciiDigit(c) ? digits + 1 : 0;
            if (digitGuard && digits >= 15)
            {
                // 15 and 18 digits are citizen IDs, 16 to 19 bank cards: never in a record in clear.
                throw new ArgumentException("contains a run of 15 or more digits, which could be an identity or card number", field);
            }
        }
    }
}
