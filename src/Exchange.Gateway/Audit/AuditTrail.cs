using System.Threading.Channels;

namespace Exchange.Gateway.Audit;

/// <summary>
/// The audit trail the request path writes to: <see cref="AppendAsync"/> completes once the exchange's record is
/// durable. Group commit: appends queue in a bounded channel; one writer loop takes what has queued (up to
/// <see cref="AuditOptions.BatchSize"/>, waiting <see cref="AuditOptions.Linger"/> for more), numbers and hashes the
/// records in order, writes them and any due checkpoint in one durable transaction, and only then completes every
/// waiter of the batch — many exchanges share one flush.
/// <para>
/// Fail closed: when a write fails, the batch's appends (and every append until the store is back) throw
/// <see cref="AuditUnavailableException"/> and <see cref="Health"/> is Unhealthy with the reason. The writer tries the
/// store again every <see cref="AuditOptions.RetryInterval"/>, resumes the chain from what the store holds (so a batch
/// whose commit outcome was unknown is neither lost from the chain nor written twice) and reports Healthy.
/// A record may thus exist for an exchange refused as UNAVAILABLE, never the reverse.
/// </para>
/// </summary>
internal sealed class AuditTrail : IAsyncDisposable
{
    private static readonly PendingAppend CheckpointTick = new(null);

    private readonly IAuditStore _store;
    private readonly AuditCheckpointSigner _signer;
    private readonly AuditCheckpointKeys _ownKey;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<PendingAppend> _channel;
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _batchSize;
    private readonly int _checkpointEvery;
    private readonly TimeSpan _checkpointInterval;
    private readonly TimeSpan _linger;
    private readonly TimeSpan _writeTimeout;
    private readonly TimeSpan _retryInterval;

    // Owned by the writer loop (and StartAsync before the loop starts).
    private AuditChain? _chain;
    private bool _initialized;
    private long _signedThrough;
    private DateTimeOffset? _firstUnsignedAt;
    private ITimer? _checkpointTimer;
    private Task _retryDelay = Task.CompletedTask;
    private Task<bool>? _readable;
    private DateTimeOffset? _unavailableSince;

    private Task? _writer;
    private long _flushes;
    private long _records;
    private long _checkpoints;
    private int _disposed;

    /// <summary>A trail writing the chain of <see cref="AuditOptions.NodeId"/> to <paramref name="store"/>, which the caller owns.</summary>
    public AuditTrail(IAuditStore store, AuditCheckpointSigner signer, AuditOptions options, TimeProvider time, ILogger<AuditTrail> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (!AuditOptions.IsNodeId(options.NodeId))
        {
            throw new ArgumentException($"'{options.NodeId}' is not a node id", nameof(options));
        }

        _store = store;
        _signer = signer;
        _ownKey = signer.PublicKeys();
        _time = time;
        _logger = logger;
        Node = options.NodeId!;
        _batchSize = Math.Max(1, options.BatchSize);
        _checkpointEvery = Math.Max(1, options.CheckpointEveryRecords);
        _checkpointInterval = options.CheckpointInterval;
        _linger = options.Linger;
        _writeTimeout = options.WriteTimeout > TimeSpan.Zero && options.WriteTimeout <= AuditOptions.MaxWriteTimeout
            ? options.WriteTimeout
            : throw new ArgumentException($"the write timeout must be positive and at most {AuditOptions.MaxWriteTimeout}", nameof(options));
        _retryInterval = options.RetryInterval;
        Health = new AuditHealth(time);
        _channel = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(Math.Max(1, options.QueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Raised on the writer loop after a checkpoint is durable.</summary>
    public event EventHandler<AuditCheckpoint>? CheckpointWritten;

    /// <summary>The node whose chain this trail writes.</summary>
    public string Node { get; }

    /// <summary>Whether records are being made durable, and if not, why.</summary>
    public AuditHealth Health { get; }

    /// <summary>Transactions that wrote records (each one flush).</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Records made durable.</summary>
    public long RecordsWritten => Interlocked.Read(ref _records);

    /// <summary>Checkpoints written.</summary>
    public long CheckpointsWritten => Interlocked.Read(ref _checkpoints);

    /// <summary>
    /// Creates the schema if missing, resumes the chain from the store and starts the writer. Does not throw when the
    /// store is unavailable: the trail then starts Unhealthy and keeps trying.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            throw new InvalidOperationException("the audit trail is already started");
        }

        await TryResumeAsync(cancellationToken).ConfigureAwait(false);
        _writer = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>
    /// Appends the record of an answered exchange; completes when it is durable, with where it sits in the chain.
    /// Cancelling stops the wait, not the write.
    /// </summary>
    /// <exception cref="AuditUnavailableException">The record could not be made durable: refuse the exchange.</exception>
    /// <exception cref="ArgumentException">The entry is incomplete or could carry personal data in clear.</exception>
    public ValueTask<AuditReceipt> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.Validate();
        var health = Health.Current;
        if (health.Status != AuditHealthStatus.Healthy)
        {
            return ValueTask.FromException<AuditReceipt>(Unavailable(health));
        }

        var pending = new PendingAppend(entry);
        return _channel.Writer.TryWrite(pending)
            ? new ValueTask<AuditReceipt>(pending.Completion!.Task.WaitAsync(cancellationToken))
            : EnqueueAsync(pending, cancellationToken);
    }

    /// <summary>
    /// Stops taking appends, writes what is queued and a final checkpoint over any unsigned records, and stops the
    /// writer. Appends after this throw <see cref="AuditUnavailableException"/>.
    /// </summary>
    public async Task StopAsync()
    {
        // Cancel first: a writer waiting to retry then stops instead of spinning on the completed channel.
        await _stopping.CancelAsync().ConfigureAwait(false);
        _channel.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer.ConfigureAwait(false);
        }

        DisarmCheckpointTimer();
        Health.Report(AuditHealthStatus.Stopped, "stopped");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _ownKey.Dispose();
    }

    private static AuditUnavailableException Unavailable(AuditHealthReport health) => health.Status switch
    {
        AuditHealthStatus.Starting => new AuditUnavailableException("audit trail is starting"),
        AuditHealthStatus.Stopped => new AuditUnavailableException("audit trail is stopped"),
        _ => new AuditUnavailableException($"audit trail unavailable: {health.Reason}"),
    };

    private static string Describe(Exception exception) => exception switch
    {
        AuditChainBrokenException broken => broken.Message,
        OperationCanceledException => "the store did not answer in time",
        _ => $"{exception.GetType().Name}: {FirstLine(exception.Message)}",
    };

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    private async ValueTask<AuditReceipt> EnqueueAsync(PendingAppend pending, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new AuditUnavailableException("audit trail is stopped");
        }

        return await pending.Completion!.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                if (!Health.IsHealthy)
                {
                    if (await WaitToRetryAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    await TryResumeAsync(CancellationToken.None).ConfigureAwait(false);
                    continue;
                }

                // A batch may be empty when the checkpoint timer woke the writer: then only a checkpoint is due.
                var batch = await ReadBatchAsync().ConfigureAwait(false);
                if (batch is null)
                {
                    break;
                }

                await WriteAsync(batch).ConfigureAwait(false);
            }

            await WriteFinalCheckpointAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // A bug must not leave appends waiting forever: fail everything and refuse what comes.
            AuditLog.WriterFailed(_logger, Node, exception);
            Health.Report(AuditHealthStatus.Unhealthy, $"writer failed: {Describe(exception)}");
        }
        finally
        {
            FailQueued(new AuditUnavailableException("audit trail is stopped"));
        }
    }

    /// <summary>Waits for the retry delay, refusing whatever is queued meanwhile; true when the trail is stopping.</summary>
    private async Task<bool> WaitToRetryAsync()
    {
        while (true)
        {
            FailQueued(Unavailable(Health.Current));
            if (_retryDelay.IsCompleted)
            {
                return _stopping.IsCancellationRequested;
            }

            // One pending wait for input at a time, however many retry periods a long outage lasts.
            _readable ??= _channel.Reader.WaitToReadAsync().AsTask();
            await Task.WhenAny(_retryDelay, _readable).ConfigureAwait(false);
            if (_readable.IsCompleted)
            {
                _readable = null;
            }
        }
    }

    private void FailQueued(AuditUnavailableException error)
    {
        while (_channel.Reader.TryRead(out var pending))
        {
            pending.Completion?.TrySetException(error);
        }
    }

    private async Task<List<PendingAppend>?> ReadBatchAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<PendingAppend>(Math.Min(_batchSize, 64));
        var tick = false;
        while (batch.Count == 0 && !tick)
        {
            if (!await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                return null;
            }

            tick |= Drain(reader, batch);
        }

        if (_linger > TimeSpan.Zero && batch.Count > 0 && batch.Count < _batchSize)
        {
            using var linger = new CancellationTokenSource(_linger, _time);
            try
            {
                while (batch.Count < _batchSize && await reader.WaitToReadAsync(linger.Token).ConfigureAwait(false))
                {
                    Drain(reader, batch);
                }
            }
            catch (OperationCanceledException) when (linger.IsCancellationRequested)
            {
                // Lingered long enough: flush what there is.
            }
        }

        return batch;
    }

    private bool Drain(ChannelReader<PendingAppend> reader, List<PendingAppend> batch)
    {
        var tick = false;
        while (batch.Count < _batchSize && reader.TryRead(out var pending))
        {
            if (ReferenceEquals(pending, CheckpointTick))
            {
                tick = true;
            }
            else
            {
                batch.Add(pending);
            }
        }

        return tick;
    }

    private async Task WriteAsync(List<PendingAppend> batch)
    {
        var chain = _chain!;
        IReadOnlyList<AuditRecord> records;
        AuditCheckpoint? checkpoint;
        var started = _time.GetTimestamp();
        try
        {
            var now = _time.GetUtcNow();
            records = chain.Link([.. batch.Select(p => p.Entry!)]);
            var head = records.Count > 0 ? AuditChainHead.After(records[^1]) : chain.Head;
            checkpoint = IsCheckpointDue(head, now) ? _signer.Sign(Node, head.Sequence, head.Hash, now) : null;
            if (records.Count == 0 && checkpoint is null)
            {
                if (_firstUnsignedAt is { } first)
                {
                    // Woken before the checkpoint was due (a clock adjustment): wait for the rest.
                    ArmCheckpointTimer(first + _checkpointInterval - now);
                }

                return;
            }

            using var timeout = new CancellationTokenSource(_writeTimeout, _time);
            await _store.AppendAsync(Node, records, checkpoint, timeout.Token).ConfigureAwait(false);
            chain.Advance(records);
            if (records.Count > 0 && _firstUnsignedAt is null && checkpoint is null)
            {
                _firstUnsignedAt = now;
                ArmCheckpointTimer(now + _checkpointInterval - _time.GetUtcNow());
            }
        }
        catch (Exception exception)
        {
            Fail(batch, exception);
            return;
        }

        if (records.Count > 0)
        {
            Interlocked.Increment(ref _flushes);
            Interlocked.Add(ref _records, records.Count);
            AuditTelemetry.Flushed(Node, records.Count, _time.GetElapsedTime(started));
        }

        if (checkpoint is not null)
        {
            Signed(checkpoint);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion!.TrySetResult(new AuditReceipt(Node, records[i].Sequence, records[i].Hash));
        }
    }

    private bool IsCheckpointDue(AuditChainHead head, DateTimeOffset now)
    {
        var unsigned = head.Sequence - _signedThrough;
        if (unsigned <= 0)
        {
            return false;
        }

        return unsigned >= _checkpointEvery || (_firstUnsignedAt is { } first && now - first >= _checkpointInterval);
    }

    private void Signed(AuditCheckpoint checkpoint)
    {
        _signedThrough = checkpoint.Sequence;
        _firstUnsignedAt = null;
        DisarmCheckpointTimer();
        Interlocked.Increment(ref _checkpoints);
        AuditTelemetry.Checkpointed(Node);
        AuditLog.CheckpointSigned(_logger, Node, checkpoint.Sequence);
        try
        {
            CheckpointWritten?.Invoke(this, checkpoint);
        }
        catch (Exception exception)
        {
            // A subscriber's failure is not the trail's: the checkpoint is durable, the writer goes on.
            AuditLog.SubscriberFailed(_logger, Node, exception);
        }
    }

    private void Fail(List<PendingAppend> batch, Exception exception)
    {
        var reason = Describe(exception);
        // The retry timer exists before anyone can see the failure, so a test (or clock) moving time on is never early.
        _retryDelay = Task.Delay(_retryInterval, _time, _stopping.Token);
        _chain = null;
        _unavailableSince ??= _time.GetUtcNow();
        DisarmCheckpointTimer();
        AuditTelemetry.Failed(Node);
        Health.Report(AuditHealthStatus.Unhealthy, reason);
        AuditLog.WriteFailed(_logger, Node, batch.Count, reason, exception);
        var error = new AuditUnavailableException($"audit trail unavailable: {reason}", exception);
        foreach (var pending in batch)
        {
            pending.Completion?.TrySetException(error);
        }
    }

    private async Task TryResumeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_writeTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            var token = linked.Token;
            if (!_initialized)
            {
                await _store.InitializeAsync(token).ConfigureAwait(false);
                _initialized = true;
            }

            var now = _time.GetUtcNow();
            await _store.TouchAsync(Node, now, token).ConfigureAwait(false);
            var chain = await AuditChain.ResumeAsync(_store, Node, _ownKey, token).ConfigureAwait(false);
            _signedThrough = Math.Max(chain.LastCheckpoint?.Sequence ?? 0, chain.ArchiveMark?.Sequence ?? 0);
            _firstUnsignedAt = null;
            if (chain.Head.Sequence > _signedThrough)
            {
                // Records written before a crash or outage that no checkpoint covers yet: sign them now.
                var checkpoint = _signer.Sign(Node, chain.Head.Sequence, chain.Head.Hash, now);
                await _store.AppendAsync(Node, [], checkpoint, token).ConfigureAwait(false);
                Signed(checkpoint);
            }

            _chain = chain;
            if (_unavailableSince is { } since)
            {
                var downtime = now - since;
                AuditLog.Recovered(_logger, Node, downtime, chain.Head.Sequence);
                _unavailableSince = null;
            }
            else
            {
                AuditLog.Resumed(_logger, Node, chain.Head.Sequence);
            }

            Health.Report(AuditHealthStatus.Healthy, null);
        }
        catch (Exception exception)
        {
            var reason = Describe(exception);
            _retryDelay = Task.Delay(_retryInterval, _time, _stopping.Token);
            _chain = null;
            _unavailableSince ??= _time.GetUtcNow();
            Health.Report(AuditHealthStatus.Unhealthy, reason);
            if (exception is AuditChainBrokenException broken)
            {
                AuditLog.ChainBroken(_logger, broken.Node, broken.Sequence, reason);
            }
            else
            {
                AuditLog.RecoveryFailed(_logger, Node, _retryInterval, reason, exception);
            }
        }
    }

    private async Task WriteFinalCheckpointAsync()
    {
        if (_chain is not { } chain || chain.Head.Sequence <= _signedThrough)
        {
            return;
        }

        try
        {
            var checkpoint = _signer.Sign(Node, chain.Head.Sequence, chain.Head.Hash, _time.GetUtcNow());
            using var timeout = new CancellationTokenSource(_writeTimeout, _time);
            await _store.AppendAsync(Node, [], checkpoint, timeout.Token).ConfigureAwait(false);
            Signed(checkpoint);
        }
        catch (Exception exception)
        {
            AuditLog.FinalCheckpointFailed(_logger, Node, _signedThrough, exception);
        }
    }

    private void ArmCheckpointTimer(TimeSpan due)
    {
        DisarmCheckpointTimer();
        // The tick only wakes the writer; if the queue is full, the writer is busy and checks the time at its next batch.
        _checkpointTimer = _time.CreateTimer(
            static state => ((Channel<PendingAppend>)state!).Writer.TryWrite(CheckpointTick),
            _channel,
            due < TimeSpan.Zero ? TimeSpan.Zero : due,
            Timeout.InfiniteTimeSpan);
    }

    private void DisarmCheckpointTimer()
    {
        _checkpointTimer?.Dispose();
        _checkpointTimer = null;
    }

    private sealed class PendingAppend(AuditEntry? entry)
    {
        public AuditEntry? Entry { get; } = entry;

        public TaskCompletionSource<AuditReceipt>? Completion { get; } =
            entry is null ? null : new TaskCompletionSource<AuditReceipt>(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
