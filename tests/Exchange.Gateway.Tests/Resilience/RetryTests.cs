using Exchange.Gateway.Configuration;
using Exchange.Gateway.Resilience;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>
/// Retries, on a fake clock: a method without side effects is retried after UNAVAILABLE and after an attempt timeout
/// (while the deadline leaves time); a side-effecting one only when the request never reached the partner; business
/// errors never; the budget stops retries; every call ends by its deadline.
/// </summary>
public sealed class RetryTests
{
    private static readonly ResilienceOptions Options = new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(1),
        Retry = new RetryOptions { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) },
        CircuitBreaker = new CircuitBreakerOptions { Enabled = false },
        Hedging = new HedgingOptions { Enabled = false },
    };

    /// <summary>No backoff, for tests about whether a retry happens rather than when.</summary>
    private static readonly ResilienceOptions Immediate = Options with { Retry = Options.Retry with { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero } };

    [Fact]
    public async Task NoSideEffects_UnavailableThenAnswer_IsRetriedOnlyAfterTheBackoff()
    {
        using var harness = new ResilienceHarness(Options);
        var attempts = new Attempts(_ => throw ResilienceHarness.Unavailable(), _ => Task.FromResult(ResilienceHarness.Answer(2)));

        var call = harness.CallAsync(ResilienceHarness.PreSettle, attempts.Next);

        Assert.Equal(1, attempts.Count);
        Assert.False(call.IsCompleted);
        // The first backoff is at most the base delay (jitter takes it down to half).
        harness.Time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(ResilienceHarness.Answer(2), await call);
        Assert.Equal(2, attempts.Count);
    }

    [Fact]
    public async Task NoSideEffects_UnavailableEveryTime_StopsAtMaxAttemptsWithThePartnersError()
    {
        using var harness = new ResilienceHarness(Immediate);
        var attempts = new Attempts(_ => throw ResilienceHarness.Unavailable());

        var error = await Assert.ThrowsAsync<RpcException>(() => harness.CallAsync(ResilienceHarness.PreSettle, attempts.Next));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("injected fault: Unavailable", error.Status.Detail);
        Assert.Equal(3, attempts.Count);
    }

    [Fact]
    public async Task SideEffecting_UnavailableAfterReachingThePartner_IsNotRetried()
    {
        using var harness = new ResilienceHarness(Immediate);
        var attempts = new Attempts(_ => throw ResilienceHarness.Unavailable(), _ => Task.FromResult(ResilienceHarness.Answer(2)));

        var error = await Assert.ThrowsAsync<RpcException>(() => harness.CallAsync(ResilienceHarness.Settle, attempts.Next));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(1, attempts.Count);
    }

    [Fact]
    public async Task SideEffecting_ConnectionRefused_IsRetriedBecauseItNeverReachedThePartner()
    {
        using var harness = new ResilienceHarness(Immediate);
        var attempts = new Attempts(_ => throw ResilienceHarness.ConnectionRefused(), _ => Task.FromResult(ResilienceHarness.Answer(2)));

        Assert.Equal(ResilienceHarness.Answer(2), await harness.CallAsync(ResilienceHarness.Settle, attempts.Next));
        Assert.Equal(2, attempts.Count);
    }

    [Fact]
    public async Task BusinessError_IsNeverRetried()
    {
        using var harness = new ResilienceHarness(Immediate);
        var attempts = new Attempts(_ => throw ResilienceHarness.NotFound());

        var error = await Assert.ThrowsAsync<RpcException>(() => harness.CallAsync(ResilienceHarness.GetInsuredPerson, attempts.Next));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(1, attempts.Count);
    }

    [Fact]
    public async Task NoSideEffects_AttemptTimeout_IsRetriedWhileTheDeadlineLeavesTime()
    {
        using var harness = new ResilienceHarness(Immediate);
        var attempts = new Attempts(Hang, _ => Task.FromResult(ResilienceHarness.Answer(2)));

        var call = harness.CallAsync(ResilienceHarness.PreSettle, attempts.Next, deadline: TimeSpan.FromSeconds(5));
        harness.Time.Advance(Options.AttemptTimeout);

        Assert.Equal(ResilienceHarness.Answer(2), await call);
        Assert.Equal(2, attempts.Count);
        Assert.True(attempts.Seen[0].AttemptCancellation.IsCancellationRequested);
    }

    [Fact]
    public async Task NoSideEffects_AttemptTimeoutWithTooLittleOfTheDeadlineLeft_IsDeadlineExceededWithoutRetry()
    {
        using var harness = new ResilienceHarness(Immediate);
        var attempts = new Attempts(Hang, _ => Task.FromResult(ResilienceHarness.Answer(2)));

        // After the 1 s attempt, 100 ms are left: less than the 200 ms a retry needs.
        var call = harness.CallAsync(ResilienceHarness.PreSettle, attempts.Next, deadline: TimeSpan.FromMilliseconds(1100));
        harness.Time.Advance(Options.AttemptTimeout);

        var error = await Assert.ThrowsAsync<AttemptTimedOutException>(() => call);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal("region 310000 did not answer within the gateway's attempt timeout of 1 s", error.Status.Detail);
        Assert.Equal(1, attempts.Count);
    }

    [Fact]
    public async Task SideEffecting_HasNoAttemptTimeout_AndEndsAtTheDeadlineWithoutRetry()
    {
        using var harness = new ResilienceHarness(Immediate);
        var attempts = new Attempts(Hang);

        var call = harness.CallAsync(ResilienceHarness.Settle, attempts.Next, deadline: TimeSpan.FromSeconds(5));
        harness.Time.Advance(Options.AttemptTimeout);
        Assert.False(attempts.Seen[0].AttemptCancellation.IsCancellationRequested);

        harness.Time.Advance(TimeSpan.FromSeconds(4));
        var error = await Assert.ThrowsAsync<RpcException>(() => call);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal("region 310000 did not answer within the deadline", error.Status.Detail);
        Assert.Equal(1, attempts.Count);
    }

    [Fact]
    public async Task RetryBudget_SpentByFailedCalls_StopsRetriesUntilCallsAreAnswered()
    {
        using var harness = new ResilienceHarness(Immediate with { RetryBudget = new RetryBudgetOptions { MaxTokens = 2, TokenRatio = 0.5 } });
        var failing = new Attempts(_ => throw ResilienceHarness.Unavailable());

        // A full bucket of 2: the first failed call may retry; it leaves 1 token, which is not above half.
        await Assert.ThrowsAsync<RpcException>(() => harness.CallAsync(ResilienceHarness.PreSettle, failing.Next));
        Assert.Equal(3, failing.Count);
        await Assert.ThrowsAsync<RpcException>(() => harness.CallAsync(ResilienceHarness.PreSettle, failing.Next));
        Assert.Equal(4, failing.Count);
        Assert.False(harness.Region.Budget.AllowsRetry);

        // Answered calls refill it (0 + 0.5 + 0.5 + 0.5 tokens), and retries resume.
        for (var i = 0; i < 3; i++)
        {
            await harness.CallAsync(ResilienceHarness.PreSettle, _ => Task.FromResult(ResilienceHarness.Answer(1)));
        }

        Assert.True(harness.Region.Budget.AllowsRetry);
        var recovering = new Attempts(_ => throw ResilienceHarness.Unavailable(), _ => Task.FromResult(ResilienceHarness.Answer(2)));
        Assert.Equal(ResilienceHarness.Answer(2), await harness.CallAsync(ResilienceHarness.PreSettle, recovering.Next));
    }

    [Fact]
    public async Task PartnerNeverAnswering_CallEndsAtItsDeadline()
    {
        using var harness = new ResilienceHarness(Immediate with { AttemptTimeout = TimeSpan.FromMinutes(1) });
        var attempts = new Attempts(Hang);

        var call = harness.CallAsync(ResilienceHarness.PreSettle, attempts.Next, deadline: TimeSpan.FromSeconds(2));
        harness.Time.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(1, attempts.Count);
    }

    [Fact]
    public async Task CallerCancels_CallEndsCancelledWithoutRetry()
    {
        using var harness = new ResilienceHarness(Immediate);
        using var cancellation = new CancellationTokenSource();
        var attempts = new Attempts(Hang);

        var call = harness.CallAsync(ResilienceHarness.PreSettle, attempts.Next, cancellationToken: cancellation.Token);
        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal(1, attempts.Count);
    }

    /// <summary>An attempt the partner never answers: it ends only when the gateway cancels it (as gRPC reports that).</summary>
    private static async Task<byte[]> Hang(EndpointAttempt attempt)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, attempt.AttemptCancellation);
        }
        catch (OperationCanceledException)
        {
        }

        throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));
    }

    /// <summary>Answers the n-th attempt with the n-th behaviour (the last one repeats), and remembers every attempt.</summary>
    private sealed class Attempts(params Func<EndpointAttempt, Task<byte[]>>[] behaviours)
    {
        private readonly List<EndpointAttempt> _seen = [];

        public int Count
        {
            get
            {
                lock (_seen)
                {
                    return _seen.Count;
                }
            }
        }

        public IReadOnlyList<EndpointAttempt> Seen
        {
            get
            {
                lock (_seen)
                {
                    return [.. _seen];
                }
            }
        }

        public Task<byte[]> Next(EndpointAttempt attempt)
        {
            int index;
            lock (_seen)
            {
                index = _seen.Count;
                _seen.Add(attempt);
            }

            return behaviours[Math.Min(index, behaviours.Length - 1)](attempt);
        }
    }
}
