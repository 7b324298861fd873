namespace Exchange.Gateway.Idempotency;

/// <summary>Where an exchange with a request_id stands.</summary>
internal enum IdempotencyState
{
    /// <summary>A gateway owns it and is forwarding it, until its lease expires.</summary>
    InProgress = 1,

    /// <summary>The partner's final answer (a response or a definite error) is recorded.</summary>
    Completed = 2,

    /// <summary>A forward may or may not have reached the partner; the next duplicate resends it under the same request_id.</summary>
    OutcomeUnknown = 3,
}

/// <summary>The record of one (caller, method, request_id).</summary>
/// <param name="Key">Caller, method and request_id.</param>
/// <param name="Digest">SHA-256 of the request bytes first seen under the key.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Owner">The forward that owns it while <see cref="IdempotencyState.InProgress"/>; otherwise null.</param>
/// <param name="LeaseExpiresAt">When the owner's lease ends while in progress; otherwise null.</param>
/// <param name="Outcome">The final answer when <see cref="IdempotencyState.Completed"/>; otherwise null.</param>
/// <param name="CreatedAt">When the key was first seen.</param>
/// <param name="UpdatedAt">When the entry last changed.</param>
/// <param name="ExpiresAt">When it is forgotten (the retention after its last change).</param>
internal sealed record IdempotencyEntry(
    IdempotencyKey Key,
    byte[] Digest,
    IdempotencyState State,
    string? Owner,
    DateTimeOffset? LeaseExpiresAt,
    StoredOutcome? Outcome,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset ExpiresAt);

/// <summary>What <see cref="IIdempotencyStore.TryBeginAsync"/> found.</summary>
/// <param name="Acquired">True when the key was new (or expired): the caller owns the new entry and must forward.</param>
/// <param name="Entry">The caller's new entry, or the one that was already there.</param>
internal readonly record struct IdempotencyBegin(bool Acquired, IdempotencyEntry Entry);
