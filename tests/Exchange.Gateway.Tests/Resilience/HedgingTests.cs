using Exchange.Gateway.Configuration;
using Exchange.Gateway.Resilience;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>
/// Hedging across a region's endpoints, on a fake clock: a NO_SIDE_EFFECTS call whose first endpoint is slow is sent
/// to the next one after the hedging delay and answered by whichever answers first; side-effecting calls never are;
/// hedges never outnumber the other endpoints.
/// </summary>
public sealed class HedgingTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(500);

    private static readonly ResilienceOptions Options = new()
    {
        CircuitBreaker = new CircuitBreakerOptions { Enabled = false },
        Hedging = new HedgingOptions { Delay = Delay, MaxHedgedAttempts = 1 },
    };

    [Fact]
    public async Task SlowFirstEndpoint_AfterTheHedgingDelay_TheOtherEndpointAnswers_AndTheSlowAttemptIsCancelled()
    {
        using var harness = new ResilienceHarness(Options, endpoints: 2);
        var partner = new Partner(slow: harness.Address(1));

        var call = harness.CallAsync(ResilienceHarness.PreSettle, partner.Answer);
        Assert.Equal([harness.Address(1)], partner.Sent);

        harness.Time.Advance(Delay);

        Assert.Equal(ResilienceHarness.Answer(2), await call);
        Assert.Equal([harness.Address(1), harness.Address(2)], partner.Sent);
        await partner.SlowAttemptEnded.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task FastFirstEndpoint_IsNotHedged()
    {
        using var harness = new ResilienceHarness(Options, endpoints: 2);
        var partner = new Partner(slow: harness.Address(2));

        Assert.Equal(ResilienceHarness.Answer(1), await harness.CallAsync(ResilienceHarness.PreSettle, partner.Answer));
        harness.Time.Advance(Delay * 4);

        Assert.Equal([harness.Address(1)], partner.Sent);
    }

    [Fact]
    public async Task FirstEndpointUnavailable_TheHedgeIsSentAtOnce()
    {
        using var harness = new ResilienceHarness(Options, endpoints: 2);
        var sent = new List<Uri>();

        var answer = await harness.CallAsync(ResilienceHarness.GetInsuredPerson, attempt =>
        {
            lock (sent)
            {
                sent.Add(attempt.Endpoint.Address);
            }

            return attempt.Endpoint.Address == harness.Address(1) ? throw ResilienceHarness.Unavailable() : Task.FromResult(ResilienceHarness.Answer(2));
        });

        Assert.Equal(ResilienceHarness.Answer(2), answer);
        Assert.Equal([harness.Address(1), harness.Address(2)], sent);
    }

    [Fact]
    public async Task SideEffectingCall_IsNeverHedged()
    {
        using var harness = new ResilienceHarness(Options, endpoints: 2);
        var partner = new Partner(slow: harness.Address(1));

        var call = harness.CallAsync(ResilienceHarness.Settle, partner.Answer, deadline: TimeSpan.FromSeconds(3));
        harness.Time.Advance(Delay * 2);
        Assert.Equal([harness.Address(1)], partner.Sent);

        harness.Time.Advance(TimeSpan.FromSeconds(3));
        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal([harness.Address(1)], partner.Sent);
    }

    [Fact]
    public async Task MaxHedgedAttempts_IsCappedAtTheOtherEndpoints()
    {
        using var harness = new ResilienceHarness(Options with { Hedging = Options.Hedging with { MaxHedgedAttempts = 5 } }, endpoints: 2);
        var partner = new Partner(slow: null);

        var call = harness.CallAsync(ResilienceHarness.PreSettle, partner.Answer, deadline: TimeSpan.FromSeconds(10));
        harness.Time.Advance(Delay);
        await partner.WaitForSentAsync(2);
        harness.Time.Advance(Delay);
        harness.Time.Advance(Delay);

        Assert.Equal([harness.Address(1), harness.Address(2)], partner.Sent);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<RpcException>(() => call);
    }

    [Fact]
    public void RegionWithOneEndpoint_DoesNotHedge()
    {
        using var single = new ResilienceHarness(Options);
        using var pair = new ResilienceHarness(Options, endpoints: 2);
        using var disabled = new ResilienceHarness(Options with { Hedging = Options.Hedging with { Enabled = false } }, endpoints: 2);

        Assert.False(single.Region.Hedges);
        Assert.True(pair.Region.Hedges);
        Assert.False(disabled.Region.Hedges);
    }

    /// <summary>Endpoints that answer at once with their number, except <c>slow</c> (all when null), which never answers.</summary>
    private sealed class Partner(Uri? slow)
    {
        private readonly List<Uri> _sent = [];
        private readonly TaskCompletionSource _slowEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Uri[] Sent
        {
            get
            {
                lock (_sent)
                {
                    return [.. _sent];
                }
            }
        }

        public Task SlowAttemptEnded => _slowEnded.Task;

        public async Task WaitForSentAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (Sent.Length < count)
            {
                await Task.Yield();
                timeout.Token.ThrowIfCancellationRequested();
            }
        }

        public async Task<byte[]> Answer(EndpointAttempt attempt)
        {
            lock (_sent)
            {
                _sent.Add(attempt.Endpoint.Address);
            }

            if (slow is not null && attempt.Endpoint.Address != slow)
            {
                return ResilienceHarness.Answer(attempt.Endpoint.Address.Port - 9000);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, attempt.AttemptCancellation);
            }
            catch (OperationCanceledException)
            {
                _slowEnded.TrySetResult();
            }

            throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));
        }
    }
}
