using System.Threading.RateLimiting;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Routing;
using Grpc.Core;
using Polly;
using Polly.CircuitBreaker;
using Polly.Hedging;
using Polly.Retry;
using Polly.Timeout;

namespace Exchange.Gateway.Resilience;

/// <summary>
/// The pipelines of one region, built once at start, around the raw-byte calls the forwarders make:
/// <code>
/// deadline → bulkhead → retry, or hedging for NO_SIDE_EFFECTS → [endpoint: breaker → attempt timeout] → call
/// </code>
/// The deadline is the call's own <see cref="CallDeadline"/>: it bounds everything after it, and marks the call as
/// out of time before it cancels, so the endpoint's breaker counts an attempt the deadline cut short as a failure of
/// the endpoint (a side-effecting attempt has no attempt timeout, so without that a hung partner would never be cut
/// off) while an attempt the caller gave up on proves nothing. The bulkhead is the region's
/// <see cref="ConcurrencyLimiter"/>, taken before the Polly pipeline: a free permit is taken without waiting, and only
/// a call that must queue waits (bounded by its deadline). A call passes one pipeline of the region and one of the
/// endpoint (measured, issue 6: each nested pipeline and strategy costs a share of the gateway's CPU on every exchange).
/// Each attempt picks an endpoint (round-robin, skipping endpoints whose breaker is open, a retry or hedge preferring
/// one not tried yet) and resends the same bytes. Every call ends by its deadline; the gateway's own refusals
/// (breaker, bulkhead) are <see cref="RefusedBeforeSendingException"/>s: nothing was sent.
/// </summary>
internal sealed class RegionResilience : IDisposable
{
    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(1);

    // What a relayed stream's run returns: nothing, once boxed.
    private static readonly object StreamEnded = true;

    private readonly TimeProvider _time;
    private readonly ResilienceTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly RetryBackoff _backoff;
    private readonly ConcurrencyLimiter? _bulkhead;
    private readonly ResiliencePipeline _retry;
    private readonly ResiliencePipeline<object>? _hedging;
    private readonly Func<int> _roundRobin;
    private readonly Func<int, bool> _usable;
    private int _next = -1;

    /// <summary>Builds the pipelines of <paramref name="route"/> and of each of its endpoints.</summary>
    /// <param name="route">The route.</param>
    /// <param name="options">The "Resilience" section (validated).</param>
    /// <param name="time">The clock of every timeout, delay and breaker window.</param>
    /// <param name="telemetry">Counters.</param>
    /// <param name="logger">Breaker transitions, retries, hedges.</param>
    public RegionResilience(RegionRoute route, ResilienceOptions options, TimeProvider time, ResilienceTelemetry telemetry, ILogger logger)
    {
        Route = route;
        _time = time;
        _telemetry = telemetry;
        _logger = logger;
        Settings = ResilienceSettings.ForRoute(options, route.Code);
        Endpoints = [.. route.Endpoints.Select(e => new EndpointResilience(e, ResilienceSettings.ForEndpoint(options, route.Code, e.Address), time, logger))];
        Budget = new RetryBudget(Settings.RetryBudget.MaxTokens, Settings.RetryBudget.TokenRatio);
        var retry = Settings.Retry;
        _backoff = new RetryBackoff(retry.BaseDelay, retry.MaxDelay, retry.BackoffMultiplier, Random.Shared.NextDouble);
        _roundRobin = () => (int)((uint)Interlocked.Increment(ref _next) % (uint)Endpoints.Count);
        _usable = index => Endpoints[index].IsUsable(_time.GetUtcNow());

        if (Settings.Bulkhead.Enabled)
        {
            _bulkhead = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = Settings.Bulkhead.PermitLimit,
                QueueLimit = Settings.Bulkhead.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }

        var retries = new ResiliencePipelineBuilder { TimeProvider = time, Name = $"region {route.Code} retry" };
        if (retry.MaxAttempts > 1)
        {
            retries.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retry.MaxAttempts - 1,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Context, args.Outcome.Exception, args.AttemptNumber)),
                DelayGenerator = static args => new ValueTask<TimeSpan?>(args.Context.Properties.GetValue(OutboundCall.Key, null!).NextDelay),
                OnRetry = args =>
                {
                    var call = args.Context.Properties.GetValue(OutboundCall.Key, null!);
                    _telemetry.Retried(Route.Code, call.RetryReason);
                    ResilienceLog.Retrying(_logger, call.Plan.Path, Route.Code, args.AttemptNumber + 2, call.RetryReason, args.RetryDelay);
                    return default;
                },
            });
        }

        _retry = retries.Build();

        var hedges = Math.Min(Settings.Hedging.MaxHedgedAttempts, Endpoints.Count - 1);
        if (Settings.Hedging.Enabled && hedges >= 1)
        {
            _hedging = new ResiliencePipelineBuilder<object> { TimeProvider = time, Name = $"region {route.Code} hedging" }
                .AddHedging(new HedgingStrategyOptions<object>
                {
                    MaxHedgedAttempts = hedges,
                    Delay = Settings.Hedging.Delay,
                    ShouldHandle = static args => new ValueTask<bool>(
                        OutboundFailures.Classify(args.Outcome.Exception) is OutboundFailureKind.NotSent or OutboundFailureKind.Unavailable or OutboundFailureKind.AttemptTimedOut),
                    // A hedge is a retry sent early: it spends from the same budget.
                    ActionGenerator = args => Budget.AllowsRetry ? () => args.Callback(args.ActionContext) : null,
                    OnHedging = args =>
                    {
                        var call = args.ActionContext.Properties.GetValue(OutboundCall.Key, null!);
                        _telemetry.Hedged(Route.Code);
                        ResilienceLog.Hedging(_logger, call.Plan.Path, Route.Code, args.AttemptNumber + 1);
                        return default;
                    },
                })
                .Build();
        }
    }

    /// <summary>The route.</summary>
    public RegionRoute Route { get; }

    /// <summary>The settings in force for the route.</summary>
    public RouteSettings Settings { get; }

    /// <summary>The pipelines of its endpoints, in the route's order.</summary>
    public IReadOnlyList<EndpointResilience> Endpoints { get; }

    /// <summary>The region's retry budget.</summary>
    public RetryBudget Budget { get; }

    /// <summary>Whether NO_SIDE_EFFECTS calls to the region are hedged.</summary>
    public bool Hedges => _hedging is not null;

    /// <summary>Calls holding a permit of the bulkhead and waiting for one (zeros without a bulkhead).</summary>
    public (long InFlight, long Queued) BulkheadLoad =>
        _bulkhead?.GetStatistics() is { } stats ? (Settings.Bulkhead.PermitLimit - stats.CurrentAvailablePermits, stats.CurrentQueuedCount) : (0, 0);

    /// <summary>
    /// Runs a unary call: attempts go through <paramref name="send"/>, retried, or hedged across endpoints for a
    /// NO_SIDE_EFFECTS method in a region with several.
    /// </summary>
    /// <remarks>
    /// Every pipeline runs callbacks typed <see cref="object"/>: Polly runs the breaker and retry strategies of a
    /// non-generic pipeline as strategies of <see cref="object"/>, and a callback of any other result type is wrapped
    /// twice per strategy (a lambda and a conversion, each an async state machine when the call goes on the wire).
    /// Measured, issue 6: those four wrappers per exchange cost a share of the gateway's CPU.
    /// </remarks>
    /// <exception cref="RpcException">The partner's error, DEADLINE_EXCEEDED, or a <see cref="RefusedBeforeSendingException"/>.</exception>
    public Task<byte[]> ExecuteUnaryAsync<TState>(OutboundCall call, Func<EndpointAttempt, TState, Task<byte[]>> send, TState state)
    {
        call.AttemptTimeoutApplies = call.Repeatable;
        var attempt = new AttemptState<byte[], TState>(this, call, send, state);
        return call.Hedgeable && _hedging is not null
            ? RunAsync<byte[], AttemptState<byte[], TState>>(call, attempt, static (context, a) => a.Region._hedging!.ExecuteAsync(static (c, s) => s.Region.AttemptAsync(c, s), context, a))
            : RunAsync<byte[], AttemptState<byte[], TState>>(call, attempt, static (context, a) => a.Region._retry.ExecuteAsync(static (c, s) => s.Region.AttemptAsync(c, s), context, a));
    }

    /// <summary>
    /// Runs a server-streaming call: <paramref name="open"/> starts it and reads its first message (attempt timeout,
    /// breaker and retries apply to that); <paramref name="consume"/> relays the rest, which is never retried. The
    /// bulkhead permit is held until the stream ends.
    /// </summary>
    public Task ExecuteStreamingAsync<TOpened, TState>(
        OutboundCall call, Func<EndpointAttempt, TState, Task<TOpened>> open, Func<TOpened, TState, CancellationToken, Task> consume, TState state)
    {
        call.AttemptTimeoutApplies = call.Repeatable;
        var stream = new StreamState<TOpened, TState>(new AttemptState<TOpened, TState>(this, call, open, state), consume);
        // The deadline bounds the whole stream; the retry pipeline only the opening.
        return RunAsync<bool, StreamState<TOpened, TState>>(
            call,
            stream,
            static async (context, s) =>
            {
                var opened = (TOpened)await s.Open.Region._retry.ExecuteAsync(static (c, a) => a.Region.AttemptAsync(c, a), context, s.Open).ConfigureAwait(false);
                await s.Consume(opened, s.Open.UserState, context.CancellationToken).ConfigureAwait(false);
                return StreamEnded;
            });
    }

    /// <summary>Runs a call that cannot be repeated (client streaming): one attempt, with breaker, bulkhead and deadline.</summary>
    public Task<T> ExecuteOnceAsync<T, TState>(OutboundCall call, Func<EndpointAttempt, TState, Task<T>> send, TState state)
    {
        call.AttemptTimeoutApplies = false;
        return RunAsync<T, AttemptState<T, TState>>(
            call,
            new AttemptState<T, TState>(this, call, send, state),
            static (context, a) => a.Region.AttemptAsync(context, a));
    }

    /// <inheritdoc />
    public void Dispose() => _bulkhead?.Dispose();

    private async Task<T> RunAsync<T, TBody>(OutboundCall call, TBody body, Func<ResilienceContext, TBody, ValueTask<object>> run)
    {
        if (Endpoints.Count == 0)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"region {Route.Code} has no endpoint"));
        }

        using var deadline = call.Deadline is { } at ? new CallDeadline(call, TimeLeft(at), _time) : null;
        var cancellation = deadline?.Token ?? call.Options.CancellationToken;
        using var permit = await TakePermitAsync(call, cancellation).ConfigureAwait(false);
        var context = ResilienceContextPool.Shared.Get(cancellation);
        context.Properties.Set(OutboundCall.Key, call);
        context.Properties.Set(EndpointResilience.AttemptTimeoutApplies, call.AttemptTimeoutApplies);
        try
        {
            var result = (T)await run(context, body).ConfigureAwait(false);
            Budget.RecordAnswer();
            return result;
        }
        catch (Exception e)
        {
            var concluded = Conclude(call, e);
            if (ReferenceEquals(concluded, e))
            {
                throw;
            }

            throw concluded;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// A permit of the region's bulkhead (none when it has no bulkhead): taken at once when one is free; otherwise the
    /// call queues until one is, its deadline passes or its caller gives up. A refusal is a
    /// <see cref="RefusedBeforeSendingException"/>: nothing was sent.
    /// </summary>
    private ValueTask<RateLimitLease?> TakePermitAsync(OutboundCall call, CancellationToken cancellation)
    {
        if (_bulkhead is null)
        {
            return ValueTask.FromResult<RateLimitLease?>(null);
        }

        var lease = _bulkhead.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            return ValueTask.FromResult<RateLimitLease?>(lease);
        }

        lease.Dispose();
        return QueueForPermitAsync(call, cancellation);
    }

    private async ValueTask<RateLimitLease?> QueueForPermitAsync(OutboundCall call, CancellationToken cancellation)
    {
        RateLimitLease lease;
        try
        {
            lease = await _bulkhead!.AcquireAsync(1, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (call.DeadlinePassed)
        {
            Saturated(call);
            throw ResilienceRejections.SaturatedUntilDeadline(Route.Code);
        }
        catch (OperationCanceledException)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the caller cancelled the exchange"));
        }

        if (!lease.IsAcquired)
        {
            lease.Dispose();
            Saturated(call);
            throw ResilienceRejections.Saturated(Route.Code);
        }

        return lease;
    }

    private void Saturated(OutboundCall call)
    {
        _telemetry.BulkheadRejected(Route.Code);
        ResilienceLog.RegionSaturated(_logger, Route.Code, call.Plan.Path);
    }

    private async ValueTask<object> AttemptAsync<T, TState>(ResilienceContext context, AttemptState<T, TState> attempt)
    {
        var endpoint = Endpoints.Count == 1 ? Endpoints[0] : Endpoints[attempt.Call.ChooseEndpoint(Endpoints.Count, _roundRobin, _usable)];
        try
        {
            return await endpoint.Pipeline.ExecuteAsync<object, (AttemptState<T, TState>, EndpointResilience)>(
                static async (c, s) =>
                {
                    var (a, target) = s;
                    a.Call.CountAttempt(target.Endpoint.Address, a.Region._time.GetUtcNow());
                    try
                    {
                        var result = await a.Send(new EndpointAttempt(target.Endpoint, a.Call.Options, c.CancellationToken), a.UserState).ConfigureAwait(false);
                        a.Call.Answered(target.Endpoint.Address);
                        return result!;
                    }
                    catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && c.CancellationToken.IsCancellationRequested)
                    {
                        // Ended by the gateway (attempt timeout, a winning hedge, the deadline) or the caller: Polly's
                        // strategies tell these apart by the cancellation, not by the status.
                        throw new OperationCanceledException(e.Status.Detail, e, c.CancellationToken);
                    }
                },
                context,
                (attempt, endpoint)).ConfigureAwait(false);
        }
        catch (BrokenCircuitException)
        {
            _telemetry.CircuitRejected(Route.Code, endpoint.Endpoint.Address);
            throw ResilienceRejections.EndpointCircuitOpen(Route.Code, endpoint.Endpoint.Address);
        }
        catch (TimeoutRejectedException)
        {
            // The endpoint pipeline's only timeout is the attempt timeout; the call's own is outside.
            throw new AttemptTimedOutException(Route.Code, endpoint.AttemptTimeout);
        }
    }

    private bool ShouldRetry(ResilienceContext context, Exception? error, int attemptNumber)
    {
        var call = context.Properties.GetValue(OutboundCall.Key, null!);
        var kind = OutboundFailures.Classify(error);
        var eligible = kind switch
        {
            OutboundFailureKind.NotSent => true,
            OutboundFailureKind.Unavailable or OutboundFailureKind.AttemptTimedOut => call.Repeatable,
            _ => false,
        };
        if (!eligible || !Budget.AllowsRetry)
        {
            return false;
        }

        // Refused by an open breaker: worth another attempt only if some endpoint will take it.
        if (error is RefusedBeforeSendingException && !Enumerable.Range(0, Endpoints.Count).Any(_usable))
        {
            return false;
        }

        var delay = kind == OutboundFailureKind.NotSent && call.HasUntried(Endpoints.Count, _usable)
            ? TimeSpan.Zero
            : _backoff.DelayBefore(attemptNumber + 1);
        if (call.Deadline is { } deadline && deadline - _time.GetUtcNow().UtcDateTime - delay < Settings.Retry.MinimumTimeLeft)
        {
            return false;
        }

        call.NextDelay = delay;
        call.RetryReason = kind;
        return true;
    }

    private TimeSpan TimeLeft(DateTime deadline)
    {
        var left = deadline - _time.GetUtcNow().UtcDateTime;
        return left > ShortestWait ? left : ShortestWait;
    }

    /// <summary>Counts the call's end in the budget and turns Polly's exceptions into the caller's statuses.</summary>
    private Exception Conclude(OutboundCall call, Exception error)
    {
        switch (error)
        {
            case RefusedBeforeSendingException:
                return error;
            case OperationCanceledException when call.DeadlinePassed:
                Budget.RecordFailure();
                return new RpcException(new Status(StatusCode.DeadlineExceeded, $"region {Route.Code} did not answer within the deadline"));
            case OperationCanceledException:
                return new RpcException(new Status(StatusCode.Cancelled, "the caller cancelled the exchange"));
            case RpcException rpc when OutboundFailures.IsTransportFailure(rpc) || OutboundFailures.Classify(rpc) == OutboundFailureKind.NotSent:
                Budget.RecordFailure();
                return rpc;
            case RpcException rpc when rpc.StatusCode != StatusCode.Cancelled:
                Budget.RecordAnswer();
                return rpc;
            default:
                return error;
        }
    }

    private sealed record AttemptState<T, TState>(RegionResilience Region, OutboundCall Call, Func<EndpointAttempt, TState, Task<T>> Send, TState UserState);

    private sealed record StreamState<TOpened, TState>(AttemptState<TOpened, TState> Open, Func<TOpened, TState, CancellationToken, Task> Consume);
}
