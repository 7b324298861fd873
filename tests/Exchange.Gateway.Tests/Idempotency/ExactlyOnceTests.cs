using System.Net.Sockets;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Idempotency;
using Exchange.Gateway.Tests.Forwarding;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Exchange.Gateway.Tests.Idempotency;

/// <summary>
/// The exactly-once policy against a real SQLite store and a fake partner (the forward delegate): duplicates answered
/// from the store, conflicts refused, concurrent duplicates coalesced into one forward, unknown outcomes resolved by
/// resending the same bytes, forwards that never left released.
/// </summary>
public sealed class ExactlyOnceTests : IAsyncLifetime
{
    private static readonly byte[] Request = [0x0a, 0x1e, .. "H34102100001202506010930000001"u8, 0x12, 0x06, .. "310000"u8];
    private static readonly byte[] OtherRequest = [0x0a, 0x1e, .. "H34102100001202506010930000001"u8, 0x12, 0x06, .. "320000"u8];
    private static readonly byte[] Response = [0x0a, 0x04, 0x08, 0x96, 0x01, 0x10];
    private static int s_methods;

    private readonly string _directory = Directory.CreateTempSubdirectory("exchange-exactly-once-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 1, 30, 0, TimeSpan.Zero));
    private readonly List<IAsyncDisposable> _stores = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ConcurrentDuplicates_FiftyInParallel_CauseOneForwardAndAllGetItsBytes()
    {
        var key = NewKey();
        using var counts = new HandlingCounts(key.Method);
        var policy = Policy(await StoreAsync(_time));
        var partner = new FakePartner { Answer = _ => Task.FromResult(Response) };
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        partner.Before = gate.Task;

        var calls = Enumerable.Range(0, 50)
            .Select(_ => Task.Run(() => policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None)))
            .ToArray();
        await Eventually.True(() => counts[IdempotencyTelemetry.Coalesced] == 49, "49 calls joined the first one");
        gate.SetResult();
        var answers = await Task.WhenAll(calls);

        Assert.Equal(1, partner.Forwards);
        Assert.All(answers, answer => Assert.Equal(Response, answer));
        Assert.Equal(1, counts[IdempotencyTelemetry.Forwarded]);
    }

    [Fact]
    public async Task ConcurrentDuplicates_WhenTheForwardEndsUnknown_AllAreToldOutcomeUnknown()
    {
        var key = NewKey();
        using var counts = new HandlingCounts(key.Method);
        var policy = Policy(await StoreAsync(_time));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var partner = new FakePartner { Before = gate.Task, Answer = _ => throw DeadlineExceeded() };

        var calls = Enumerable.Range(0, 10)
            .Select(_ => Task.Run(() => policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None)))
            .ToArray();
        await Eventually.True(() => counts[IdempotencyTelemetry.Coalesced] == 9, "9 calls joined the first one");
        gate.SetResult();

        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => call);
            Assert.Equal(StatusCode.Aborted, error.StatusCode);
            Assert.Equal(IdempotencyErrors.OutcomeUnknown, GatewayAssert.ErrorInfoOf(error).Reason);
        }

        Assert.Equal(1, partner.Forwards);
    }

    [Fact]
    public async Task ConcurrentDuplicates_AtTwoGatewaysSharingTheStore_CauseOneForward()
    {
        var key = NewKey();
        using var counts = new HandlingCounts(key.Method);
        var storeA = await StoreAsync(TimeProvider.System);
        var storeB = new ObservedStore(await StoreAsync(TimeProvider.System));
        var gatewayA = Policy(storeA, TimeProvider.System, "gateway-a");
        var gatewayB = Policy(storeB, TimeProvider.System, "gateway-b");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var partner = new FakePartner { Before = gate.Task, Answer = _ => Task.FromResult(Response) };

        var first = gatewayA.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None);
        await Eventually.True(() => partner.Forwards == 1, "gateway A forwarded");
        var atB = Enumerable.Range(0, 5)
            .Select(_ => Task.Run(() => gatewayB.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None)))
            .ToArray();
        await Eventually.True(() => storeB.CallsTo(nameof(IIdempotencyStore.GetAsync)) > 0, "gateway B polls the store");
        gate.SetResult();

        Assert.Equal(Response, await first);
        Assert.All(await Task.WhenAll(atB), answer => Assert.Equal(Response, answer));
        Assert.Equal(1, partner.Forwards);
        Assert.Equal(1, counts[IdempotencyTelemetry.Awaited]);
        Assert.Equal(4, counts[IdempotencyTelemetry.Coalesced]);
    }

    [Fact]
    public async Task CompletedDuplicate_IsAnsweredFromTheStoreWithoutForwarding()
    {
        var key = NewKey();
        using var counts = new HandlingCounts(key.Method);
        var policy = Policy(await StoreAsync(_time));
        var partner = new FakePartner { Answer = _ => Task.FromResult(Response) };

        var first = await policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(6));
        var duplicate = await policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None);

        Assert.Equal(Response, first);
        Assert.Equal(Response, duplicate);
        Assert.Equal(1, partner.Forwards);
        Assert.Equal(1, counts[IdempotencyTelemetry.Replayed]);
    }

    [Fact]
    public async Task UnknownOutcome_IsAbortedWithOutcomeUnknown_ThenTheDuplicateResendsTheSameBytes()
    {
        var key = NewKey();
        using var counts = new HandlingCounts(key.Method);
        var store = await StoreAsync(_time);
        var policy = Policy(store);
        var partner = new FakePartner { Answer = _ => throw DeadlineExceeded() };

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal(
            $"the outcome of {key.Method} with request_id {key.RequestId} is unknown: the partner may or may not have carried it out; "
            + "resend the identical request with the same request_id (the partner answers a repeat with the original result); "
            + "for a settlement, GetSettlement by request_id or ReverseSettlement also resolve it; never retry under a new request_id",
            error.Status.Detail);
        var info = GatewayAssert.ErrorInfoOf(error);
        Assert.Equal("OUTCOME_UNKNOWN", info.Reason);
        Assert.Equal("exchange.gov.cn", info.Domain);
        Assert.Equal(key.RequestId, info.Metadata["request_id"]);
        Assert.Equal(key.Method, info.Metadata["method"]);
        Assert.Equal(IdempotencyErrors.ResolveHint, info.Metadata["resolve"]);
        Assert.Equal("DEADLINE_EXCEEDED", info.Metadata["cause"]);
        Assert.Equal(IdempotencyState.OutcomeUnknown, (await store.GetAsync(key, CancellationToken.None))!.State);

        partner.Answer = _ => Task.FromResult(Response);
        var resolved = await policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None);
        var again = await policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None);

        Assert.Equal(Response, resolved);
        Assert.Equal(Response, again);
        Assert.Equal([Request, Request], partner.Received);
        Assert.Equal(1, counts[IdempotencyTelemetry.Forwarded]);
        Assert.Equal(1, counts[IdempotencyTelemetry.Resent]);
        Assert.Equal(1, counts[IdempotencyTelemetry.Replayed]);
        Assert.Equal(IdempotencyState.Completed, (await store.GetAsync(key, CancellationToken.None))!.State);
    }

    [Theory]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Cancelled)]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.Internal)]
    public async Task ForwardFailure_ThatMayHaveReachedThePartner_IsRecordedUnknown(StatusCode status)
    {
        var key = NewKey();
        var store = await StoreAsync(_time);
        var partner = new FakePartner { Answer = _ => throw new RpcException(new Grpc.Core.Status(status, "the stream broke")) };

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Policy(store).ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal(IdempotencyState.OutcomeUnknown, (await store.GetAsync(key, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task DefiniteError_IsStoredAndGivenToTheDuplicateWithoutForwarding()
    {
        var key = NewKey();
        var policy = Policy(await StoreAsync(_time));
        var refusal = new Google.Rpc.Status
        {
            Code = (int)Code.FailedPrecondition,
            Message = "the insurance of this person is suspended",
            Details = { Any.Pack(new ErrorInfo { Reason = "INSURANCE_SUSPENDED", Domain = "exchange.gov.cn" }) },
        };
        var partner = new FakePartner { Answer = _ => throw refusal.ToRpcException() };

        var first = await Assert.ThrowsAsync<RpcException>(() =>
            policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None));
        var duplicate = await Assert.ThrowsAsync<RpcException>(() =>
            policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None));

        Assert.Equal(1, partner.Forwards);
        foreach (var error in new[] { first, duplicate })
        {
            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
            Assert.Equal("the insurance of this person is suspended", error.Status.Detail);
            Assert.Equal(refusal, error.GetRpcStatus());
        }
    }

    [Fact]
    public async Task SameRequestIdWithADifferentRequest_IsRefusedAlreadyExistsWithoutForwarding()
    {
        var key = NewKey();
        using var counts = new HandlingCounts(key.Method);
        var policy = Policy(await StoreAsync(_time));
        var partner = new FakePartner { Answer = _ => Task.FromResult(Response) };
        await policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None);

        var error = await GatewayAssert.FailsWith(
            StatusCode.AlreadyExists,
            $"request_id {key.RequestId} was already used for a different {key.Method} request; resend the original request unchanged, or choose a new request_id for a new request",
            () => policy.ExecuteAsync(key, OtherRequest, DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None));

        var info = GatewayAssert.ErrorInfoOf(error);
        Assert.Equal("REQUEST_ID_REUSED", info.Reason);
        Assert.Equal(key.RequestId, info.Metadata["request_id"]);
        Assert.Equal(key.Method, info.Metadata["method"]);
        Assert.Equal(1, partner.Forwards);
        Assert.Equal(1, counts[IdempotencyTelemetry.Conflict]);
    }

    [Fact]
    public async Task SameRequestIdWithADifferentRequest_WhileTheFirstIsInFlight_IsRefusedAtOnce()
    {
        var key = NewKey();
        var policy = Policy(await StoreAsync(_time));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var partner = new FakePartner { Before = gate.Task, Answer = _ => Task.FromResult(Response) };
        var first = policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None);
        await Eventually.True(() => partner.Forwards == 1, "the first call is forwarded");

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            policy.ExecuteAsync(key, OtherRequest, DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None));
        gate.SetResult();

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal("REQUEST_ID_REUSED", GatewayAssert.ErrorInfoOf(error).Reason);
        Assert.Equal(Response, await first);
        Assert.Equal(1, partner.Forwards);
    }

    [Theory]
    [InlineData("connection refused")]
    [InlineData("refused inside the gateway")]
    [InlineData("no route")]
    public async Task ForwardThatNeverReachedThePartner_IsReleased_SoTheRetryForwardsAgain(string failure)
    {
        var key = NewKey();
        using var counts = new HandlingCounts(key.Method);
        var store = await StoreAsync(_time);
        var policy = Policy(store);
        var notSent = NotSent(failure);
        var partner = new FakePartner { Answer = _ => throw notSent };

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None));

        Assert.Equal(notSent.StatusCode, error.StatusCode);
        Assert.Equal(notSent.Status.Detail, error.Status.Detail);
        Assert.Null(await store.GetAsync(key, CancellationToken.None));
        partner.Answer = _ => Task.FromResult(Response);
        Assert.Equal(Response, await policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None));
        Assert.Equal(2, partner.Forwards);
        Assert.Equal(2, counts[IdempotencyTelemetry.Forwarded]);
        Assert.Equal(1, counts[IdempotencyTelemetry.Released]);
    }

    [Fact]
    public async Task ResendThatNeverReachedThePartner_KeepsTheOutcomeUnknown()
    {
        var key = NewKey();
        var store = await StoreAsync(_time);
        var policy = Policy(store);
        var partner = new FakePartner { Answer = _ => throw DeadlineExceeded() };
        await Assert.ThrowsAsync<RpcException>(() => policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None));
        partner.Answer = _ => throw NotSent("connection refused");

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            policy.ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(IdempotencyState.OutcomeUnknown, (await store.GetAsync(key, CancellationToken.None))!.State);
        Assert.Equal(2, partner.Forwards);
    }

    [Fact]
    public async Task InProgressEntryOfACrashedGateway_IsTakenOverAfterItsLease_AndResent()
    {
        var key = NewKey();
        using var counts = new HandlingCounts(key.Method);
        var store = await StoreAsync(_time);
        await store.TryBeginAsync(key, System.Security.Cryptography.SHA256.HashData(Request), "crashed-gateway/1", CancellationToken.None);
        var partner = new FakePartner { Answer = _ => Task.FromResult(Response) };
        _time.Advance(new IdempotencyOptions().LeaseDuration);

        var answer = await Policy(store).ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None);

        Assert.Equal(Response, answer);
        Assert.Equal(1, counts[IdempotencyTelemetry.Resent]);
        Assert.Equal(IdempotencyState.Completed, (await store.GetAsync(key, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task WaitingForAnotherGateway_EndsBeforeTheCallersDeadline_WithRequestInProgress()
    {
        var key = NewKey();
        var store = await StoreAsync(TimeProvider.System);
        await store.TryBeginAsync(key, System.Security.Cryptography.SHA256.HashData(Request), "gateway-b/1", CancellationToken.None);
        var partner = new FakePartner { Answer = _ => Task.FromResult(Response) };
        // The margin is the time the gateway keeps back to answer; a generous one keeps a busy test machine within it.
        var options = new GatewayOptions { NodeId = "gateway-a", Outbound = new OutboundOptions { DeadlineMargin = TimeSpan.FromMilliseconds(300) } };
        var policy = new ExactlyOnce(store, options, TimeProvider.System, NullLogger<ExactlyOnce>.Instance);
        _ = IdempotencyErrors.InProgress(key).ToString(); // loads the protobuf descriptors, so that only the wait is timed
        var deadline = DateTime.UtcNow.AddMilliseconds(800);

        var error = await Assert.ThrowsAsync<RpcException>(() => policy.ExecuteAsync(key, [.. Request], deadline, partner.ForwardAsync, CancellationToken.None));
        var answeredAt = DateTime.UtcNow;

        Assert.True(answeredAt < deadline, $"answered {(answeredAt - deadline).TotalMilliseconds} ms after the caller's deadline");
        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal(
            $"{key.Method} with request_id {key.RequestId} is still being forwarded by an earlier call; resend the identical request with the same request_id to get its answer",
            error.Status.Detail);
        Assert.Equal("REQUEST_IN_PROGRESS", GatewayAssert.ErrorInfoOf(error).Reason);
        Assert.Equal(0, partner.Forwards);
    }

    [Fact]
    public async Task DeadlineWithNoTimeLeft_IsRefusedBeforeTheStoreIsTouched()
    {
        var key = NewKey();
        var store = new ObservedStore(await StoreAsync(_time));
        var partner = new FakePartner { Answer = _ => Task.FromResult(Response) };

        await GatewayAssert.FailsWith(
            StatusCode.DeadlineExceeded,
            "the caller's deadline leaves no time to forward the exchange",
            () => Policy(store).ExecuteAsync(key, [.. Request], _time.GetUtcNow().UtcDateTime.AddMilliseconds(20), partner.ForwardAsync, CancellationToken.None));

        Assert.Equal(0, store.CallsTo(nameof(IIdempotencyStore.TryBeginAsync)));
        Assert.Equal(0, partner.Forwards);
    }

    [Fact]
    public async Task StoreFailingBeforeTheForward_RefusesUnavailableAndForwardsNothing()
    {
        var key = NewKey();
        var store = new ObservedStore(await StoreAsync(_time));
        store.Failing[nameof(IIdempotencyStore.TryBeginAsync)] = true;
        var partner = new FakePartner { Answer = _ => Task.FromResult(Response) };

        var error = await GatewayAssert.FailsWith(
            StatusCode.Unavailable,
            $"{key.Method} was not forwarded: the gateway's idempotency store is unavailable; retry with the same request_id",
            () => Policy(store).ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None));

        Assert.Equal("IDEMPOTENCY_STORE_UNAVAILABLE", GatewayAssert.ErrorInfoOf(error).Reason);
        Assert.Equal(0, partner.Forwards);
    }

    [Fact]
    public async Task StoreFailingAfterTheForward_StillGivesTheCallerThePartnersAnswer()
    {
        var key = NewKey();
        var store = new ObservedStore(await StoreAsync(_time));
        store.Failing[nameof(IIdempotencyStore.CompleteAsync)] = true;
        var partner = new FakePartner { Answer = _ => Task.FromResult(Response) };

        var answer = await Policy(store).ExecuteAsync(key, [.. Request], DateTime.MaxValue, partner.ForwardAsync, CancellationToken.None);

        Assert.Equal(Response, answer);
        Assert.Equal(IdempotencyState.InProgress, (await store.GetAsync(key, CancellationToken.None))!.State);
    }

    private static RpcException DeadlineExceeded() =>
        new(new Grpc.Core.Status(StatusCode.DeadlineExceeded, "region 310000 did not answer within the deadline"));

    private static RpcException NotSent(string failure) => failure switch
    {
        "connection refused" => new RpcException(new Grpc.Core.Status(
            StatusCode.Unavailable,
            "Error starting gRPC call. HttpRequestException: Connection refused (127.0.0.1:7001)",
            new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:7001)", new SocketException((int)SocketError.ConnectionRefused)))),
        "refused inside the gateway" => new Google.Rpc.Status
        {
            Code = (int)Code.Unavailable,
            Message = "region 310000 is unavailable: its circuit breaker is open",
            Details = { Any.Pack(new ErrorInfo { Reason = "CIRCUIT_OPEN", Domain = "exchange.gov.cn", Metadata = { ["forwarded"] = "false" } }) },
        }.ToRpcException(),
        "no route" => new Google.Rpc.Status
        {
            Code = (int)Code.NotFound,
            Message = "no route for region 110000",
            Details = { Any.Pack(new ErrorInfo { Reason = "NO_ROUTE", Domain = "exchange.gov.cn" }) },
        }.ToRpcException(),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "no such case"),
    };

    private static IdempotencyKey NewKey() =>
        new("county-hospital", $"/exchange.test.v1.Ledger/Post{Interlocked.Increment(ref s_methods)}", "H34102100001202506010930000001");

    private static ExactlyOnce Policy(IIdempotencyStore store, TimeProvider time, string nodeId = "gateway-a") =>
        new(store, new GatewayOptions { NodeId = nodeId }, time, NullLogger<ExactlyOnce>.Instance);

    private ExactlyOnce Policy(IIdempotencyStore store) => Policy(store, _time);

    private async Task<IIdempotencyStore> StoreAsync(TimeProvider time)
    {
        var store = new SqliteIdempotencyStore(Path.Combine(_directory, "gateway.db"), new IdempotencyOptions(), time);
        await store.InitializeAsync(CancellationToken.None);
        _stores.Add(store);
        return store;
    }

    /// <summary>The partner, as the forward delegate sees it: counts forwards and keeps the bytes it was sent.</summary>
    private sealed class FakePartner
    {
        private int _forwards;

        public Task Before { get; set; } = Task.CompletedTask;

        public required Func<byte[], Task<byte[]>> Answer { get; set; }

        public int Forwards => Volatile.Read(ref _forwards);

        public List<byte[]> Received { get; } = [];

        public async Task<byte[]> ForwardAsync(byte[] request)
        {
            Interlocked.Increment(ref _forwards);
            lock (Received)
            {
                Received.Add(request);
            }

            await Before;
            return await Answer(request);
        }
    }
}
