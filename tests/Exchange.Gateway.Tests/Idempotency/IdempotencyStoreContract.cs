using System.Security.Cryptography;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Idempotency;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Exchange.Gateway.Tests.Idempotency;

/// <summary>
/// What every idempotency store must do, run against each one (SQLite and PostgreSQL): insert-if-absent, conditional
/// changes by the owner, take-over of unknown outcomes and expired leases, expiry and purge. Time is fake: leases and
/// retention pass by advancing it.
/// </summary>
public abstract class IdempotencyStoreContract : IAsyncLifetime
{
    /// <summary>Lease and retention of the stores under test.</summary>
    protected static readonly IdempotencyOptions Options = new() { LeaseDuration = TimeSpan.FromMinutes(2), Retention = TimeSpan.FromDays(7) };

    private static readonly DateTimeOffset Start = new(2025, 6, 1, 1, 30, 0, TimeSpan.Zero);
    private static readonly byte[] Digest = SHA256.HashData("settle 550.00 for visit 42"u8);
    private static readonly byte[] OtherDigest = SHA256.HashData("settle 999.00 for visit 42"u8);

    private readonly FakeTimeProvider _time = new(Start);
    private IIdempotencyStore? _store;
    private int _keys;

    private IIdempotencyStore Store => _store ?? throw new InvalidOperationException("not initialised");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync(Options, _time);
        await _store.InitializeAsync(CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        await DropAsync();
    }

    /// <summary>A new, empty store of the kind under test (not yet initialised).</summary>
    private protected abstract Task<IIdempotencyStore> CreateStoreAsync(IdempotencyOptions options, TimeProvider time);

    /// <summary>Deletes what <see cref="CreateStoreAsync"/> made.</summary>
    private protected abstract Task DropAsync();

    /// <summary>Another store on the same database (another gateway replica, or the same after a restart).</summary>
    private protected abstract Task<IIdempotencyStore> OpenAnotherAsync(TimeProvider time);

    [Fact]
    public async Task TryBegin_NewKey_AcquiresAnInProgressEntryLeasedToTheCaller()
    {
        var key = NewKey();

        var begin = await Store.TryBeginAsync(key, Digest, "node-a/1", CancellationToken.None);

        Assert.True(begin.Acquired);
        foreach (var entry in new[] { begin.Entry, (await Store.GetAsync(key, CancellationToken.None))! })
        {
            Assert.Equal(key, entry.Key);
            Assert.Equal(Digest, entry.Digest);
            Assert.Equal(IdempotencyState.InProgress, entry.State);
            Assert.Equal("node-a/1", entry.Owner);
            Assert.Equal(Start.AddMinutes(2), entry.LeaseExpiresAt);
            Assert.Null(entry.Outcome);
            Assert.Equal(Start, entry.CreatedAt);
            Assert.Equal(Start, entry.UpdatedAt);
            Assert.Equal(Start.AddDays(7), entry.ExpiresAt);
        }
    }

    [Fact]
    public async Task TryBegin_KeyInProgress_ReturnsTheOwnersEntryWithoutAcquiring()
    {
        var key = NewKey();
        await Store.TryBeginAsync(key, Digest, "node-a/1", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));

        var second = await Store.TryBeginAsync(key, Digest, "node-b/1", CancellationToken.None);

        Assert.False(second.Acquired);
        Assert.Equal(IdempotencyState.InProgress, second.Entry.State);
        Assert.Equal("node-a/1", second.Entry.Owner);
        Assert.Equal(Start, second.Entry.CreatedAt);
    }

    [Fact]
    public async Task TryBegin_ConcurrentCallersOfOneKey_ExactlyOneAcquires()
    {
        var key = NewKey();

        var begins = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            Task.Run(() => Store.TryBeginAsync(key, Digest, $"node-{i}/1", CancellationToken.None))));

        var winner = Assert.Single(begins, b => b.Acquired);
        Assert.All(begins, b => Assert.Equal(winner.Entry.Owner, b.Entry.Owner));
    }

    [Fact]
    public async Task TryBegin_SameRequestIdForAnotherCallerOrMethod_IsAnotherEntry()
    {
        var key = NewKey();
        await Store.TryBeginAsync(key, Digest, "node-a/1", CancellationToken.None);

        var otherCaller = await Store.TryBeginAsync(key with { Caller = "shanghai-platform" }, Digest, "node-a/2", CancellationToken.None);
        var otherMethod = await Store.TryBeginAsync(key with { Method = "/exchange.medical.v1.CrossRegionSettlementService/CancelSettlement" }, Digest, "node-a/3", CancellationToken.None);

        Assert.True(otherCaller.Acquired);
        Assert.True(otherMethod.Acquired);
    }

    [Fact]
    public async Task TryBegin_CompletedKey_ReturnsTheStoredResponseBytes()
    {
        var key = NewKey();
        byte[] response = [0x0a, 0x03, 0x01, 0x00, 0xff];
        await Store.TryBeginAsync(key, Digest, "node-a/1", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await Store.CompleteAsync(key, "node-a/1", StoredOutcome.Ok(response), CancellationToken.None));

        var duplicate = await Store.TryBeginAsync(key, Digest, "node-b/1", CancellationToken.None);

        Assert.False(duplicate.Acquired);
        Assert.Equal(IdempotencyState.Completed, duplicate.Entry.State);
        Assert.Null(duplicate.Entry.Owner);
        Assert.Null(duplicate.Entry.LeaseExpiresAt);
        Assert.Equal(Start.AddSeconds(1), duplicate.Entry.UpdatedAt);
        Assert.Equal(Start.AddSeconds(1).AddDays(7), duplicate.Entry.ExpiresAt);
        Assert.Equal(response, duplicate.Entry.Outcome!.Replay());
    }

    [Fact]
    public async Task Complete_DefiniteError_IsReplayedWithItsStatusMessageAndDetails()
    {
        var key = NewKey();
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.FailedPrecondition,
            Message = "the insurance of this person is suspended",
            Details = { Any.Pack(new ErrorInfo { Reason = "INSURANCE_SUSPENDED", Domain = "exchange.gov.cn" }) },
        };
        await Store.TryBeginAsync(key, Digest, "node-a/1", CancellationToken.None);
        Assert.True(await Store.CompleteAsync(key, "node-a/1", StoredOutcome.Error(status.ToRpcException()), CancellationToken.None));

        var stored = (await Store.GetAsync(key, CancellationToken.None))!.Outcome!;

        var replayed = Assert.Throws<RpcException>(() => stored.Replay());
        Assert.Equal(StatusCode.FailedPrecondition, replayed.StatusCode);
        Assert.Equal("the insurance of this person is suspended", replayed.Status.Detail);
        Assert.Equal(status, replayed.GetRpcStatus());
    }

    [Fact]
    public async Task Complete_ByAnotherOwner_ChangesNothing()
    {
        var key = NewKey();
        await Store.TryBeginAsync(key, Digest, "node-a/1", CancellationToken.None);

        Assert.False(await Store.CompleteAsync(key, "node-b/1", StoredOutcome.Ok([1]), CancellationToken.None));
        Assert.False(await Store.MarkUnknownAsync(key, "node-b/1", CancellationToken.None));
        Assert.False(await Store.ReleaseAsync(key, "node-b/1", CancellationToken.None));

        var entry = (await Store.GetAsync(key, CancellationToken.None))!;
        Assert.Equal(IdempotencyState.InProgress, entry.State);
        Assert.Equal("node-a/1", entry.Owner);
    }

    [Fact]
    public async Task TryBegin_DifferentRequestUnderTheKey_ReturnsTheFirstRequestsDigest()
    {
        var key = NewKey();
        await Store.TryBeginAsync(key, Digest, "node-a/1", CancellationToken.None);
        await Store.CompleteAsync(key, "node-a/1", StoredOutcome.Ok([1]), CancellationToken.None);

        var conflicting = await Store.TryBeginAsync(key, OtherDigest, "node-b/1", CancellationToken.None);

        Assert.False(conflicting.Acquired);
        Assert.Equal(Digest, conflicting.Entry.Digest);
        Assert.Equal(IdempotencyState.Completed, conflicting.Entry.State);
    }

    [Fact]
    public async Task MarkUnknown_ThenReclaim_HandsTheEntryToOneNewOwner()
    {
        var key = NewKey();
        await Store.TryBeginAsync(key, Digest, "node-a/1", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await Store.MarkUnknownAsync(key, "node-a/1", CancellationToken.None));

        var unknown = (await Store.GetAsync(key, CancellationToken.None))!;
        Assert.Equal(IdempotencyState.OutcomeUnknown, unknown.State);
        Assert.Null(unknown.Owner);
        Assert.Null(unknown.Outcome);
        Assert.Equal(Start.AddSeconds(30), unknown.UpdatedAt);
        Assert.False(await Store.CompleteAsync(key, "node-a/1", StoredOutcome.Ok([1]), CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(await Store.TryReclaimAsync(key, OtherDigest, "node-c/1", CancellationToken.None));
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Store.TryReclaimAsync(key, Digest, $"node-b/{i}", CancellationToken.None))));

        Assert.Single(claims, claimed => claimed);
        var resending = (await Store.GetAsync(key, CancellationToken.None))!;
        Assert.Equal(IdempotencyState.InProgress, resending.State);
        Assert.StartsWith("node-b/", resending.Owner, StringComparison.Ordinal);
        Assert.Equal(Start.AddMinutes(1).AddMinutes(2), resending.LeaseExpiresAt);
        Assert.Equal(Start, resending.CreatedAt);
        Assert.True(await Store.CompleteAsync(key, resending.Owner!, StoredOutcome.Ok([7]), CancellationToken.None));
        Assert.Equal([7], (await Store.GetAsync(key, CancellationToken.None))!.Outcome!.Replay());
    }

    [Fact]
    public async Task Release_ByOwner_ForgetsTheEntrySoTheNextCallerAcquiresIt()
    {
        var key = NewKey();
        await Store.TryBeginAsync(key, Digest, "node-a/1", CancellationToken.None);

        Assert.True(await Store.ReleaseAsync(key, "node-a/1", CancellationToken.None));

        Assert.Null(await Store.GetAsync(key, CancellationToken.None));
        Assert.True((await Store.TryBeginAsync(key, Digest, "node-b/1", CancellationToken.None)).Acquired);
    }

    [Fact]
    public async Task Release_OfACompletedEntry_ChangesNothing()
    {
        var key = NewKey();
        await Store.TryBeginAsync(key, Digest, "node-a/1", CancellationToken.None);
        await Store.CompleteAsync(key, "node-a/1", StoredOutcome.Ok([1]), CancellationToken.None);

        Assert.False(await Store.ReleaseAsync(key, "node-a/1", CancellationToken.None));
        Assert.Equal(IdempotencyState.Completed, (await Store.GetAsync(key, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task TryReclaim_LiveLease_FailsUntilTheLeaseExpires_ThenTheOldOwnerCanNoLongerComplete()
    {
        var key = NewKey();
        await Store.TryBeginAsync(key, Digest, "node-a/1", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromMilliseconds(1));

        Assert.False(await Store.TryReclaimAsync(key, Digest, "node-b/1", CancellationToken.None));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await Store.TryReclaimAsync(key, Digest, "node-b/1", CancellationToken.None));
        Assert.False(await Store.CompleteAsync(key, "node-a/1", StoredOutcome.Ok([1]), CancellationToken.None));
        Assert.True(await Store.CompleteAsync(key, "node-b/1", StoredOutcome.Ok([2]), CancellationToken.None));
    }

    [Fact]
    public async Task TryReclaim_CompletedEntry_Fails()
    {
        var key = NewKey();
        await Store.TryBeginAsync(key, Digest, "node-a/1", CancellationToken.None);
        await Store.CompleteAsync(key, "node-a/1", StoredOutcome.Ok([1]), CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));

        Assert.False(await Store.TryReclaimAsync(key, Digest, "node-b/1", CancellationToken.None));
    }

    [Fact]
    public async Task Entries_AfterTheRetention_AreAbsentAndMayBeginAfresh()
    {
        var key = NewKey();
        await Store.TryBeginAsync(key, Digest, "node-a/1", CancellationToken.None);
        await Store.CompleteAsync(key, "node-a/1", StoredOutcome.Ok([1]), CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await Store.GetAsync(key, CancellationToken.None));

        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Null(await Store.GetAsync(key, CancellationToken.None));
        var again = await Store.TryBeginAsync(key, OtherDigest, "node-b/1", CancellationToken.None);
        Assert.True(again.Acquired);
        Assert.Equal(OtherDigest, again.Entry.Digest);
        Assert.Equal(_time.GetUtcNow(), again.Entry.CreatedAt);
    }

    [Fact]
    public async Task PurgeExpired_DeletesOnlyEntriesPastTheirRetention()
    {
        var old = NewKey();
        var recent = NewKey();
        await Store.TryBeginAsync(old, Digest, "node-a/1", CancellationToken.None);
        await Store.CompleteAsync(old, "node-a/1", StoredOutcome.Ok([1]), CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(6));
        await Store.TryBeginAsync(recent, Digest, "node-a/2", CancellationToken.None);
        await Store.MarkUnknownAsync(recent, "node-a/2", CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(1, await Store.PurgeExpiredAsync(CancellationToken.None));
        Assert.Equal(0, await Store.PurgeExpiredAsync(CancellationToken.None));
        Assert.Equal(IdempotencyState.OutcomeUnknown, (await Store.GetAsync(recent, CancellationToken.None))!.State);

        _time.Advance(TimeSpan.FromDays(6));
        Assert.Equal(1, await Store.PurgeExpiredAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AnotherStoreOnTheSameDatabase_SeesTheEntries_AndInitialisingAgainKeepsThem()
    {
        var key = NewKey();
        await Store.TryBeginAsync(key, Digest, "node-a/1", CancellationToken.None);
        await Store.CompleteAsync(key, "node-a/1", StoredOutcome.Ok([4, 2]), CancellationToken.None);

        var other = await OpenAnotherAsync(_time);
        try
        {
            await other.InitializeAsync(CancellationToken.None);
            var seen = await other.TryBeginAsync(key, Digest, "node-b/1", CancellationToken.None);

            Assert.False(seen.Acquired);
            Assert.Equal([4, 2], seen.Entry.Outcome!.Replay());
        }
        finally
        {
            await ((IAsyncDisposable)other).DisposeAsync();
        }
    }

    private IdempotencyKey NewKey() =>
        new("county-hospital", "/exchange.medical.v1.CrossRegionSettlementService/Settle", $"H3410210000120250601093000{Interlocked.Increment(ref _keys):D4}");
}
