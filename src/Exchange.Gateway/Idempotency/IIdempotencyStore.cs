namespace Exchange.Gateway.Idempotency;

/// <summary>
/// The durable record of side-effecting exchanges, one entry per (caller, method, request_id). Every change is
/// conditional on the state it expects (and, for an owner's changes, on still owning the entry), so several gateways
/// sharing one store never both forward the same exchange. Expired entries count as absent everywhere. Times come
/// from the store's <see cref="TimeProvider"/>.
/// </summary>
internal interface IIdempotencyStore
{
    /// <summary>Opens the store and creates its schema if missing.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Inserts an <see cref="IdempotencyState.InProgress"/> entry owned by <paramref name="owner"/> if the key has
    /// none (atomically: of concurrent callers, exactly one acquires); otherwise returns the entry that is there.
    /// </summary>
    Task<IdempotencyBegin> TryBeginAsync(IdempotencyKey key, byte[] digest, string owner, CancellationToken cancellationToken);

    /// <summary>The entry of a key, or null when there is none (or it expired).</summary>
    Task<IdempotencyEntry?> GetAsync(IdempotencyKey key, CancellationToken cancellationToken);

    /// <summary>Records the final answer of an entry <paramref name="owner"/> still owns; false if it no longer does.</summary>
    Task<bool> CompleteAsync(IdempotencyKey key, string owner, StoredOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Records that the owner's forward may or may not have reached the partner; false if it no longer owns the entry.</summary>
    Task<bool> MarkUnknownAsync(IdempotencyKey key, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes an in-progress entry <paramref name="owner"/> owns, because its forward provably never reached the
    /// partner, so that a retry forwards again; false if it no longer owns the entry.
    /// </summary>
    Task<bool> ReleaseAsync(IdempotencyKey key, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// Takes over an entry of the same request (same <paramref name="digest"/>) whose outcome is unknown, or whose
    /// owner's lease has expired: it becomes in progress, owned by <paramref name="owner"/>. True if taken over; of
    /// concurrent callers, at most one is.
    /// </summary>
    Task<bool> TryReclaimAsync(IdempotencyKey key, byte[] digest, string owner, CancellationToken cancellationToken);

    /// <summary>Deletes every expired entry; returns how many.</summary>
    Task<int> PurgeExpiredAsync(CancellationToken cancellationToken);
}
