using System.Collections.Concurrent;
using System.Security.Cryptography;
using Exchange.Gateway.Configuration;
using Grpc.Core;

namespace Exchange.Gateway.Idempotency;

/// <summary>
/// Exactly-once treatment of a side-effecting unary exchange, keyed by (caller, method, request_id):
/// <list type="bullet">
/// <item>a completed duplicate is answered from the store, byte for byte, and not forwarded;</item>
/// <item>the request_id with a different request is refused (ALREADY_EXISTS, REQUEST_ID_REUSED);</item>
/// <item>concurrent duplicates cause one forward: in this process they join the first call's answer; a call that
/// finds another gateway forwarding polls the store until that answer is recorded, bounded by its deadline;</item>
/// <item>a forward whose outcome is unknown is recorded as such and answered ABORTED (OUTCOME_UNKNOWN); the next
/// duplicate resends the same bytes under the same request_id, and the partner's deduplication answers it;</item>
/// <item>a forward that provably never reached the partner is forgotten, so a retry forwards again.</item>
/// </list>
/// Everything the gateway refuses on its own (identity, policy, validation, routing) is refused before this runs.
/// </summary>
internal sealed class ExactlyOnce(IIdempotencyStore store, GatewayOptions options, TimeProvider time, ILogger<ExactlyOnce> logger)
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<IdempotencyKey, Leader> _leaders = new();

    /// <summary>
    /// Answers <paramref name="request"/> exactly once: from the store, from a concurrent identical call, or by
    /// calling <paramref name="forward"/> with the request bytes.
    /// </summary>
    /// <param name="key">Caller, method and request_id.</param>
    /// <param name="request">The request bytes, as received.</param>
    /// <param name="deadline">The caller's deadline (UTC), <see cref="DateTime.MaxValue"/> for none: waiting for another call ends before it.</param>
    /// <param name="forward">Forwards the bytes to the partner and returns its response; throws <see cref="RpcException"/> on failure.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    /// <returns>The partner's response bytes.</returns>
    /// <exception cref="RpcException">The partner's error, or one of <see cref="IdempotencyErrors"/>.</exception>
    public async Task<byte[]> ExecuteAsync(
        IdempotencyKey key, byte[] request, DateTime deadline, Func<byte[], Task<byte[]>> forward, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(forward);
        var answerBy = AnswerBy(deadline);
        if (answerBy <= time.GetUtcNow())
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, "the caller's deadline leaves no time to forward the exchange"));
        }

        var digest = SHA256.HashData(request);
        while (true)
        {
            if (_leaders.TryGetValue(key, out var running))
            {
                if (!running.Digest.AsSpan().SequenceEqual(digest))
                {
                    IdempotencyTelemetry.Count(key.Method, IdempotencyTelemetry.Conflict);
                    throw StoredOutcome.Error(IdempotencyErrors.Reused(key)).ToException();
                }

                IdempotencyTelemetry.Count(key.Method, IdempotencyTelemetry.Coalesced);
                return (await JoinAsync(running, key, answerBy, cancellationToken).ConfigureAwait(false)).Replay();
            }

            var mine = new Leader(digest);
            if (!_leaders.TryAdd(key, mine))
            {
                continue;
            }

            StoredOutcome outcome;
            try
            {
                outcome = await LeadAsync(key, digest, request, answerBy, forward, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _leaders.TryRemove(new KeyValuePair<IdempotencyKey, Leader>(key, mine));
                // The followers did not fail: the exchange is, as far as they can tell, still in progress.
                mine.Answer.TrySetResult(e is RpcException rpc ? StoredOutcome.Error(rpc) : StoredOutcome.Error(IdempotencyErrors.InProgress(key)));
                throw;
            }

            // Removed before the followers are answered, so a later duplicate goes to the store, not to a finished call.
            _leaders.TryRemove(new KeyValuePair<IdempotencyKey, Leader>(key, mine));
            mine.Answer.TrySetResult(outcome);
            return outcome.Replay();
        }
    }

    private async Task<StoredOutcome> JoinAsync(Leader running, IdempotencyKey key, DateTimeOffset answerBy, CancellationToken cancellationToken)
    {
        var wait = answerBy == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : Max(answerBy - time.GetUtcNow(), TimeSpan.Zero);
        try
        {
            return await running.Answer.Task.WaitAsync(wait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            IdempotencyTelemetry.Count(key.Method, IdempotencyTelemetry.InProgress);
            return StoredOutcome.Error(IdempotencyErrors.InProgress(key));
        }
    }

    private async Task<StoredOutcome> LeadAsync(
        IdempotencyKey key, byte[] digest, byte[] request, DateTimeOffset answerBy, Func<byte[], Task<byte[]>> forward, CancellationToken cancellationToken)
    {
        var owner = $"{options.NodeId}/{Guid.NewGuid():N}";
        var waited = false;
        var pause = FirstPoll;
        while (true)
        {
            var begin = await BeforeForwardAsync(key, () => store.TryBeginAsync(key, digest, owner, cancellationToken)).ConfigureAwait(false);
            if (begin.Acquired)
            {
                return await ForwardAsync(key, owner, request, resend: false, forward, answerBy).ConfigureAwait(false);
            }

            var entry = begin.Entry;
            while (entry is not null)
            {
                if (!entry.Digest.AsSpan().SequenceEqual(digest))
                {
                    IdempotencyTelemetry.Count(key.Method, IdempotencyTelemetry.Conflict);
                    return StoredOutcome.Error(IdempotencyErrors.Reused(key));
                }

                var now = time.GetUtcNow();
                switch (entry.State)
                {
                    case IdempotencyState.Completed:
                        IdempotencyTelemetry.Count(key.Method, waited ? IdempotencyTelemetry.Awaited : IdempotencyTelemetry.Replayed);
                        return entry.Outcome!;

                    case IdempotencyState.OutcomeUnknown when waited:
                        // The concurrent call this one waited for ended unknown: so does this one, as it would have in-process.
                        return StoredOutcome.Error(IdempotencyErrors.Unknown(key));

                    case IdempotencyState.OutcomeUnknown:
                    case IdempotencyState.InProgress when entry.LeaseExpiresAt <= now:
                        if (await BeforeForwardAsync(key, () => store.TryReclaimAsync(key, digest, owner, cancellationToken)).ConfigureAwait(false))
                        {
                            return await ForwardAsync(key, owner, request, resend: true, forward, answerBy).ConfigureAwait(false);
                        }

                        break;

                    default:
                        // Another gateway is forwarding it: wait for its answer in the store, until its lease or our deadline ends.
                        waited = true;
                        if (now >= answerBy)
                        {
                            IdempotencyTelemetry.Count(key.Method, IdempotencyTelemetry.InProgress);
                            return StoredOutcome.Error(IdempotencyErrors.InProgress(key));
                        }

                        var delay = Min(pause, answerBy - now, (entry.LeaseExpiresAt ?? now) - now);
                        await Task.Delay(Max(delay, TimeSpan.FromMilliseconds(1)), time, cancellationToken).ConfigureAwait(false);
                        pause = Min(pause * 2, LongestPoll, LongestPoll);
                        break;
                }

                entry = await BeforeForwardAsync(key, () => store.GetAsync(key, cancellationToken)).ConfigureAwait(false);
            }

            // Released or expired meanwhile: begin afresh.
        }
    }

    private async Task<StoredOutcome> ForwardAsync(
        IdempotencyKey key, string owner, byte[] request, bool resend, Func<byte[], Task<byte[]>> forward, DateTimeOffset answerBy)
    {
        IdempotencyTelemetry.Count(key.Method, resend ? IdempotencyTelemetry.Resent : IdempotencyTelemetry.Forwarded);
        byte[] response;
        try
        {
            response = await forward(request).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            switch (ForwardFailure.Classify(e))
            {
                case ForwardFailureKind.Definite:
                    var final = StoredOutcome.Error(e);
                    await RecordAsync(key, answerBy, () => store.CompleteAsync(key, owner, final, CancellationToken.None)).ConfigureAwait(false);
                    return final;

                case ForwardFailureKind.NotForwarded:
                    // Nothing was carried out this time. A first forward is forgotten, so a retry forwards again; a
                    // resend keeps the earlier unknown outcome, which this failure does not resolve.
                    IdempotencyTelemetry.Count(key.Method, IdempotencyTelemetry.Released);
                    await RecordAsync(key, answerBy, () => resend
                        ? store.MarkUnknownAsync(key, owner, CancellationToken.None)
                        : store.ReleaseAsync(key, owner, CancellationToken.None)).ConfigureAwait(false);
                    return StoredOutcome.Error(e);

                default:
                    IdempotencyTelemetry.Count(key.Method, IdempotencyTelemetry.Unknown);
                    IdempotencyLog.OutcomeUnknown(logger, key.Method, key.Caller, e.StatusCode.ToString());
                    await RecordAsync(key, answerBy, () => store.MarkUnknownAsync(key, owner, CancellationToken.None)).ConfigureAwait(false);
                    return StoredOutcome.Error(IdempotencyErrors.Unknown(key, e.StatusCode));
            }
        }
#pragma warning disable CA1031 // Whatever else ended the forward (a cancellation, a bug), it may have reached the partner.
        catch (Exception e)
#pragma warning restore CA1031
        {
            IdempotencyTelemetry.Count(key.Method, IdempotencyTelemetry.Unknown);
            IdempotencyLog.ForwardFailedUnexpectedly(logger, key.Method, key.Caller, e);
            await RecordAsync(key, answerBy, () => store.MarkUnknownAsync(key, owner, CancellationToken.None)).ConfigureAwait(false);
            return StoredOutcome.Error(IdempotencyErrors.Unknown(key));
        }

        var outcome = StoredOutcome.Ok(response);
        await RecordAsync(key, answerBy, () => store.CompleteAsync(key, owner, outcome, CancellationToken.None)).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>A store step before anything is forwarded: its failure refuses the exchange, and nothing reaches the partner.</summary>
    private async Task<T> BeforeForwardAsync<T>(IdempotencyKey key, Func<Task<T>> step)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            IdempotencyLog.StoreFailedBeforeForward(logger, key.Method, key.Caller, e);
            throw StoredOutcome.Error(IdempotencyErrors.StoreFailed(key)).ToException();
        }
    }

    /// <summary>
    /// Records what a forward ended in. Not cancelled with the caller, and never in the way of the answer: if it fails,
    /// the entry stays in progress until its lease expires, and the next duplicate resends under the same request_id.
    /// </summary>
    /// <summary>How long an answer waits for the store to record it before it is sent anyway.</summary>
    private static readonly TimeSpan MaxRecordWait = TimeSpan.FromMilliseconds(250);

    private async Task RecordAsync(IdempotencyKey key, DateTimeOffset answerBy, Func<Task<bool>> step)
    {
        // On the thread pool: Microsoft.Data.Sqlite's async methods run synchronously, so a busy database would
        // otherwise block right here, before there is a task to stop waiting for.
        var recording = Task.Run(() => RecordNowAsync(key, step));
        // A stalled store (a busy SQLite file, a PostgreSQL row lock) must not hold the partner's answer: wait for the
        // write briefly (a healthy store answers in milliseconds), never past the caller's deadline, and let it finish
        // in the background. Until it does, the entry stays in progress under this owner, so a duplicate waits for it
        // rather than forwarding; the answer itself is already the partner's.
        var untilDeadline = Max(answerBy - time.GetUtcNow(), TimeSpan.Zero);
        var wait = untilDeadline < MaxRecordWait ? untilDeadline : MaxRecordWait;
        try
        {
            await recording.WaitAsync(wait, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            IdempotencyLog.StoreSlowAfterForward(logger, key.Method, key.Caller);
        }
    }

    private async Task RecordNowAsync(IdempotencyKey key, Func<Task<bool>> step)
    {
        try
        {
            if (!await step().ConfigureAwait(false))
            {
                IdempotencyLog.LeaseLost(logger, key.Method, key.Caller);
            }
        }
#pragma warning disable CA1031 // The partner has answered; the caller gets that answer whatever the store does.
        catch (Exception e)
#pragma warning restore CA1031
        {
            IdempotencyLog.StoreFailedAfterForward(logger, key.Method, key.Caller, e);
        }
    }

    private DateTimeOffset AnswerBy(DateTime deadline)
    {
        if (deadline == DateTime.MaxValue)
        {
            return DateTimeOffset.MaxValue;
        }

        var utc = new DateTimeOffset(DateTime.SpecifyKind(deadline.ToUniversalTime(), DateTimeKind.Utc));
        return utc - options.Outbound.DeadlineMargin;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b, TimeSpan c) => TimeSpan.FromTicks(Math.Min(a.Ticks, Math.Min(b.Ticks, c.Ticks)));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>The call forwarding a key in this process, and the answer its followers wait for.</summary>
    private sealed class Leader(byte[] digest)
    {
        public byte[] Digest { get; } = digest;

        public TaskCompletionSource<StoredOutcome> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
