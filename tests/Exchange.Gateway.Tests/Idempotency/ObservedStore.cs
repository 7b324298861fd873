using System.Collections.Concurrent;
using Exchange.Gateway.Idempotency;

namespace Exchange.Gateway.Tests.Idempotency;

/// <summary>A store that counts the calls made to it and fails the operations a test names, around a real one.</summary>
internal sealed class ObservedStore(IIdempotencyStore inner) : IIdempotencyStore
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    /// <summary>Names of operations that throw (as a database that went away would).</summary>
    public ConcurrentDictionary<string, bool> Failing { get; } = new(StringComparer.Ordinal);

    /// <summary>Calls made to <paramref name="operation"/> so far.</summary>
    public int CallsTo(string operation) => _calls.TryGetValue(operation, out var count) ? count : 0;

    public Task InitializeAsync(CancellationToken cancellationToken) => Observe(nameof(InitializeAsync), () => inner.InitializeAsync(cancellationToken));

    public Task<IdempotencyBegin> TryBeginAsync(IdempotencyKey key, byte[] digest, string owner, CancellationToken cancellationToken) =>
        Observe(nameof(TryBeginAsync), () => inner.TryBeginAsync(key, digest, owner, cancellationToken));

    public Task<IdempotencyEntry?> GetAsync(IdempotencyKey key, CancellationToken cancellationToken) =>
        Observe(nameof(GetAsync), () => inner.GetAsync(key, cancellationToken));

    public Task<bool> CompleteAsync(IdempotencyKey key, string owner, StoredOutcome outcome, CancellationToken cancellationToken) =>
        Observe(nameof(CompleteAsync), () => inner.CompleteAsync(key, owner, outcome, cancellationToken));

    public Task<bool> MarkUnknownAsync(IdempotencyKey key, string owner, CancellationToken cancellationToken) =>
        Observe(nameof(MarkUnknownAsync), () => inner.MarkUnknownAsync(key, owner, cancellationToken));

    public Task<bool> ReleaseAsync(IdempotencyKey key, string owner, CancellationToken cancellationToken) =>
        Observe(nameof(ReleaseAsync), () => inner.ReleaseAsync(key, owner, cancellationToken));

    public Task<bool> TryReclaimAsync(IdempotencyKey key, byte[] digest, string owner, CancellationToken cancellationToken) =>
        Observe(nameof(TryReclaimAsync), () => inner.TryReclaimAsync(key, digest, owner, cancellationToken));

    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken) =>
        Observe(nameof(PurgeExpiredAsync), () => inner.PurgeExpiredAsync(cancellationToken));

    private Task<T> Observe<T>(string operation, Func<Task<T>> call)
    {
        _calls.AddOrUpdate(operation, 1, (_, count) => count + 1);
        return Failing.ContainsKey(operation) ? Task.FromException<T>(new InvalidOperationException($"{operation}: the database is gone")) : call();
    }

    private Task<bool> Observe(string operation, Func<Task> call) => Observe(operation, async () =>
    {
        await call();
        return true;
    });
}
