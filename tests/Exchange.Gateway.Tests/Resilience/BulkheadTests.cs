using Exchange.Gateway.Configuration;
using Exchange.Gateway.Resilience;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>
/// The bulkhead of a region, on a fake clock: calls beyond its permits and queue are refused REGION_SATURATED without
/// being sent; a queued call is sent when a permit frees, or refused without being sent when its deadline comes first.
/// </summary>
public sealed class BulkheadTests
{
    private static readonly ResilienceOptions Options = new()
    {
        Retry = new RetryOptions { MaxAttempts = 1 },
        CircuitBreaker = new CircuitBreakerOptions { Enabled = false },
        Bulkhead = new BulkheadOptions { PermitLimit = 2, QueueLimit = 1 },
    };

    [Fact]
    public async Task FullBulkhead_RefusesWithRegionSaturated_AndSendsNothing()
    {
        using var harness = new ResilienceHarness(Options);
        var partner = new HeldPartner();
        var held = Enumerable.Range(0, 3).Select(_ => harness.CallAsync(ResilienceHarness.PreSettle, partner.Answer)).ToArray();

        var refused = await Assert.ThrowsAsync<RefusedBeforeSendingException>(() => harness.CallAsync(ResilienceHarness.PreSettle, partner.Answer));

        var info = ResilienceErrors.AssertRefusal(refused, StatusCode.Unavailable, "REGION_SATURATED");
        Assert.Equal("310000", info.Metadata["region"]);
        Assert.Equal(
            "region 310000 already has as many exchanges in flight and waiting as the gateway allows; the exchange was not sent; retry after a backoff",
            refused.Status.Detail);
        Assert.Equal(2, partner.Received);
        Assert.Equal((2, 1), harness.Region.BulkheadLoad);

        partner.Release();
        Assert.All(await Task.WhenAll(held), answer => Assert.Equal(ResilienceHarness.Answer(1), answer));
        Assert.Equal(3, partner.Received);
        Assert.Equal((0, 0), harness.Region.BulkheadLoad);
    }

    [Fact]
    public async Task QueuedCall_IsSentWhenAPermitFrees()
    {
        using var harness = new ResilienceHarness(Options);
        var first = new HeldPartner();
        var held = Enumerable.Range(0, 2).Select(_ => harness.CallAsync(ResilienceHarness.PreSettle, first.Answer)).ToArray();
        var sent = false;

        var queued = harness.CallAsync(ResilienceHarness.PreSettle, _ =>
        {
            sent = true;
            return Task.FromResult(ResilienceHarness.Answer(9));
        });
        Assert.False(sent);

        first.Release();
        Assert.Equal(ResilienceHarness.Answer(9), await queued);
        Assert.True(sent);
        await Task.WhenAll(held);
    }

    [Fact]
    public async Task QueuedCall_WhoseDeadlineComesFirst_IsDeadlineExceededWithRegionSaturatedAndNeverSent()
    {
        using var harness = new ResilienceHarness(Options);
        var partner = new HeldPartner();
        var held = Enumerable.Range(0, 2).Select(_ => harness.CallAsync(ResilienceHarness.PreSettle, partner.Answer, deadline: TimeSpan.FromSeconds(30))).ToArray();

        var queued = harness.CallAsync(ResilienceHarness.PreSettle, partner.Answer, deadline: TimeSpan.FromSeconds(1));
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        var refused = await Assert.ThrowsAsync<RefusedBeforeSendingException>(() => queued);
        ResilienceErrors.AssertRefusal(refused, StatusCode.DeadlineExceeded, "REGION_SATURATED");
        Assert.Equal("region 310000 had no capacity free within the deadline; the exchange was not sent", refused.Status.Detail);
        Assert.Equal(2, partner.Received);

        partner.Release();
        await Task.WhenAll(held);
    }

    [Fact]
    public async Task QueuedCall_WhoseCallerGivesUp_IsCancelledNeverSentAndLeavesTheQueue()
    {
        using var harness = new ResilienceHarness(Options);
        var partner = new HeldPartner();
        var held = Enumerable.Range(0, 2).Select(_ => harness.CallAsync(ResilienceHarness.PreSettle, partner.Answer)).ToArray();
        using var caller = new CancellationTokenSource();

        var queued = harness.CallAsync(ResilienceHarness.PreSettle, partner.Answer, cancellationToken: caller.Token);
        Assert.Equal((2, 1), harness.Region.BulkheadLoad);
        await caller.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => queued);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.IsNotType<RefusedBeforeSendingException>(error);
        Assert.Equal(2, partner.Received);
        Assert.Equal((2, 0), harness.Region.BulkheadLoad);

        partner.Release();
        await Task.WhenAll(held);
    }

    [Fact]
    public async Task BulkheadDisabled_AdmitsEveryCall()
    {
        using var harness = new ResilienceHarness(Options with { Bulkhead = new BulkheadOptions { Enabled = false } });
        var partner = new HeldPartner();

        var held = Enumerable.Range(0, 20).Select(_ => harness.CallAsync(ResilienceHarness.PreSettle, partner.Answer)).ToArray();

        Assert.Equal(20, partner.Received);
        partner.Release();
        await Task.WhenAll(held);
    }

    /// <summary>A partner that holds every call until released, then answers each with 1.</summary>
    private sealed class HeldPartner
    {
        private readonly TaskCompletionSource<byte[]> _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _received;

        public int Received => Volatile.Read(ref _received);

        public Task<byte[]> Answer(EndpointAttempt attempt)
        {
            Interlocked.Increment(ref _received);
            return _release.Task;
        }

        public void Release() => _release.SetResult(ResilienceHarness.Answer(1));
    }
}
