using Exchange.Gateway.Configuration;
using Exchange.Gateway.Resilience;
using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>
/// The circuit breaker of an endpoint, on a fake clock: transport failures open it, an open breaker refuses without
/// sending, a probe after the break closes it (or opens it again); business errors never count. Its state shows in
/// the gauge and the health check.
/// </summary>
public sealed class CircuitBreakerTests
{
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(5);

    private static readonly ResilienceOptions Options = new()
    {
        Retry = new RetryOptions { MaxAttempts = 1 },
        Hedging = new HedgingOptions { Enabled = false },
        CircuitBreaker = new CircuitBreakerOptions
        {
            FailureRatio = 0.5, MinimumThroughput = 2, SamplingDuration = TimeSpan.FromSeconds(10), BreakDuration = BreakDuration,
        },
    };

    [Fact]
    public async Task TransportFailures_OpenTheBreaker_ThenCallsFailFastWithCircuitOpenWithoutBeingSent()
    {
        using var harness = new ResilienceHarness(Options);
        var sent = 0;

        await OpenAsync(harness, () => sent++);
        var refused = await Assert.ThrowsAsync<RefusedBeforeSendingException>(() => harness.CallAsync(ResilienceHarness.PreSettle, _ =>
        {
            sent++;
            return Task.FromResult(ResilienceHarness.Answer(1));
        }));

        Assert.Equal(2, sent);
        Assert.Equal(CircuitState.Open, harness.Region.Endpoints[0].State);
        var info = ResilienceErrors.AssertRefusal(refused, StatusCode.Unavailable, "CIRCUIT_OPEN");
        Assert.Equal("310000", info.Metadata["region"]);
        Assert.Equal(harness.Address(1).ToString(), info.Metadata["endpoint"]);
    }

    [Fact]
    public async Task AfterTheBreak_ASuccessfulProbe_ClosesTheBreaker()
    {
        using var harness = new ResilienceHarness(Options);
        await OpenAsync(harness);

        harness.Time.Advance(BreakDuration);
        var probe = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = harness.CallAsync(ResilienceHarness.PreSettle, _ => probe.Task);

        Assert.Equal(CircuitState.HalfOpen, harness.Region.Endpoints[0].State);
        probe.SetResult(ResilienceHarness.Answer(7));
        Assert.Equal(ResilienceHarness.Answer(7), await call);
        Assert.Equal(CircuitState.Closed, harness.Region.Endpoints[0].State);
    }

    [Fact]
    public async Task AfterTheBreak_AFailedProbe_OpensTheBreakerAgain()
    {
        using var harness = new ResilienceHarness(Options);
        await OpenAsync(harness);

        harness.Time.Advance(BreakDuration);
        await Assert.ThrowsAsync<RpcException>(() => harness.CallAsync(ResilienceHarness.PreSettle, _ => throw ResilienceHarness.Unavailable()));

        Assert.Equal(CircuitState.Open, harness.Region.Endpoints[0].State);
        await Assert.ThrowsAsync<RefusedBeforeSendingException>(() => harness.CallAsync(ResilienceHarness.PreSettle, _ => Task.FromResult(ResilienceHarness.Answer(1))));
    }

    [Fact]
    public async Task AfterTheBreak_AProbeThatEndsUnanswered_OpensTheBreakerAgainInsteadOfClosingIt()
    {
        // A probe the caller gave up on (or a hedge that lost) proves nothing about the endpoint: counted as a success,
        // it would close the breaker of an endpoint that never answered.
        using var harness = new ResilienceHarness(Options);
        await OpenAsync(harness);

        harness.Time.Advance(BreakDuration);
        using var caller = new CancellationTokenSource();
        var call = harness.CallAsync(ResilienceHarness.PreSettle, ResilienceHarness.Unanswered, cancellationToken: caller.Token);
        Assert.Equal(CircuitState.HalfOpen, harness.Region.Endpoints[0].State);
        await caller.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal(CircuitState.Open, harness.Region.Endpoints[0].State);
        await Assert.ThrowsAsync<RefusedBeforeSendingException>(() => harness.CallAsync(ResilienceHarness.PreSettle, _ => Task.FromResult(ResilienceHarness.Answer(1))));
    }

    [Fact]
    public async Task SideEffectingCallsThatReachTheirDeadlineUnanswered_OpenTheBreaker()
    {
        // A side-effecting attempt has no attempt timeout of its own (cutting it short could leave a settlement half
        // known), so only the call's deadline ends it when the endpoint hangs. Each such attempt is a failure of the
        // endpoint; counted as a success (Polly's reading of a cancelled attempt), a hung partner would never be cut
        // off and every settlement would wait out its deadline.
        using var harness = new ResilienceHarness(Options);
        var sent = 0;

        for (var i = 0; i < 2; i++)
        {
            var call = harness.CallAsync(
                ResilienceHarness.Settle,
                attempt =>
                {
                    sent++;
                    return ResilienceHarness.Unanswered(attempt);
                },
                deadline: TimeSpan.FromSeconds(2));
            harness.Time.Advance(TimeSpan.FromSeconds(2));
            var error = await Assert.ThrowsAsync<RpcException>(() => call);
            Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        }

        Assert.Equal(CircuitState.Open, harness.Region.Endpoints[0].State);
        await Assert.ThrowsAsync<RefusedBeforeSendingException>(() => harness.CallAsync(ResilienceHarness.Settle, _ =>
        {
            sent++;
            return Task.FromResult(ResilienceHarness.Answer(1));
        }));
        Assert.Equal(2, sent);
    }

    [Fact]
    public async Task AttemptsTheCallerGaveUpOn_DoNotOpenTheBreaker()
    {
        // The caller going away says nothing about the endpoint.
        using var harness = new ResilienceHarness(Options);

        for (var i = 0; i < 4; i++)
        {
            using var caller = new CancellationTokenSource();
            var call = harness.CallAsync(ResilienceHarness.Settle, ResilienceHarness.Unanswered, cancellationToken: caller.Token);
            await caller.CancelAsync();
            var error = await Assert.ThrowsAsync<RpcException>(() => call);
            Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        }

        Assert.Equal(CircuitState.Closed, harness.Region.Endpoints[0].State);
    }

    [Fact]
    public async Task BusinessErrors_NeverOpenTheBreaker()
    {
        using var harness = new ResilienceHarness(Options);
        var sent = 0;

        for (var i = 0; i < 10; i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => harness.CallAsync(ResilienceHarness.GetInsuredPerson, _ =>
            {
                sent++;
                throw ResilienceHarness.NotFound();
            }));
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
        }

        Assert.Equal(10, sent);
        Assert.Equal(CircuitState.Closed, harness.Region.Endpoints[0].State);
    }

    [Fact]
    public async Task OpenBreakerOfOneEndpoint_CallsGoToTheOtherEndpointOfTheRegion()
    {
        using var harness = new ResilienceHarness(Options, endpoints: 2);
        var failing = harness.Address(1);
        var answeredBy = new List<Uri>();

        // Round-robin: every other call reaches the failing endpoint, until its breaker opens.
        for (var i = 0; i < 4; i++)
        {
            try
            {
                await harness.CallAsync(ResilienceHarness.PreSettle, attempt => attempt.Endpoint.Address == failing
                    ? throw ResilienceHarness.Unavailable()
                    : Task.FromResult(ResilienceHarness.Answer(2)));
            }
            catch (RpcException)
            {
            }
        }

        Assert.Equal(CircuitState.Open, harness.Region.Endpoints[0].State);
        for (var i = 0; i < 6; i++)
        {
            await harness.CallAsync(ResilienceHarness.PreSettle, attempt =>
            {
                answeredBy.Add(attempt.Endpoint.Address);
                return Task.FromResult(ResilienceHarness.Answer(2));
            });
        }

        Assert.Equal(Enumerable.Repeat(harness.Address(2), 6), answeredBy);
    }

    [Fact]
    public async Task Gauge_ReportsClosedOpenAndHalfOpen_TaggedWithRegionAndEndpoint()
    {
        using var harness = new ResilienceHarness(Options);
        Assert.Equal([$"310000 {harness.Address(1)} 0"], Gauge(harness));

        await OpenAsync(harness);
        Assert.Equal([$"310000 {harness.Address(1)} 1"], Gauge(harness));

        harness.Time.Advance(BreakDuration);
        var probe = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = harness.CallAsync(ResilienceHarness.PreSettle, _ => probe.Task);
        Assert.Equal([$"310000 {harness.Address(1)} 2"], Gauge(harness));

        probe.SetResult(ResilienceHarness.Answer(1));
        await call;
        Assert.Equal([$"310000 {harness.Address(1)} 0"], Gauge(harness));
    }

    [Fact]
    public async Task HealthCheck_OpenBreaker_IsDegradedNamingRegionAndEndpoint_AndHealthyOnceClosed()
    {
        using var harness = new ResilienceHarness(Options);
        var check = new CircuitBreakerHealthCheck(harness.All);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        await OpenAsync(harness);
        var degraded = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal($"circuit not closed: region 310000 endpoint {harness.Address(1)} Open", degraded.Description);
        Assert.Equal("Open", degraded.Data[$"310000 {harness.Address(1)}"]);

        harness.Time.Advance(BreakDuration);
        await harness.CallAsync(ResilienceHarness.PreSettle, _ => Task.FromResult(ResilienceHarness.Answer(1)));
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task BreakerDisabled_TransportFailuresNeverRefuseACall()
    {
        using var harness = new ResilienceHarness(Options with { CircuitBreaker = Options.CircuitBreaker with { Enabled = false } });
        var sent = 0;

        for (var i = 0; i < 10; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => harness.CallAsync(ResilienceHarness.PreSettle, _ =>
            {
                sent++;
                throw ResilienceHarness.Unavailable();
            }));
        }

        Assert.Equal(10, sent);
        Assert.Empty(harness.All.Circuits());
    }

    /// <summary>Two UNAVAILABLE calls: at the minimum throughput, all failed.</summary>
    private static async Task OpenAsync(ResilienceHarness harness, Action? onSend = null)
    {
        for (var i = 0; i < 2; i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => harness.CallAsync(ResilienceHarness.PreSettle, _ =>
            {
                onSend?.Invoke();
                throw ResilienceHarness.Unavailable();
            }));
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            Assert.IsNotType<RefusedBeforeSendingException>(error);
        }

        Assert.Equal(CircuitState.Open, harness.Region.Endpoints[0].State);
    }

    private static string[] Gauge(ResilienceHarness harness) => CircuitGauge.Read(harness.Telemetry.Meter);
}
