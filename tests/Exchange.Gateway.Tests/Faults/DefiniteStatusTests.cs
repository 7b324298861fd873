using Exchange.Contracts.Sim.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Idempotency;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.Gateway.Tests.Resilience;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Xunit.Abstractions;

namespace Exchange.Gateway.Tests.Faults;

/// <summary>
/// Every call ends with a definite status within its deadline, whatever the partner does: with one partner stopped,
/// one black-holed, one slower than the attempt timeout, one failing 30% UNAVAILABLE, one crashing at its first call
/// and one healthy, look-ups, pre-settlements and settlements are sent to all of them at once, each with a 2 s
/// deadline. Each call must end with a status the integrator documents list for its kind of method, and the one its
/// partner's fault calls for. With a deadline margin that leaves the gateway time to answer after the partner's
/// deadline (its own work then: recording an unknown outcome, the audit record), the answer is always the gateway's;
/// with a 50 ms margin (the default before it was raised to 200 ms), the caller's own deadline sometimes ends a call first (counted and printed).
/// </summary>
[Collection(FaultRuns.Name)]
public sealed class DefiniteStatusTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    private static readonly Dictionary<string, string> Faults = new(StringComparer.Ordinal)
    {
        ["310000"] = "stopped",
        ["320000"] = "black-holed",
        ["330000"] = "slower than the attempt timeout",
        ["330100"] = "failing 30% UNAVAILABLE",
        ["340000"] = "crashes at its first call",
        ["341021"] = "healthy",
    };

    [Theory]
    [InlineData(50, false)]
    [InlineData(500, true)]
    public async Task EveryCall_WhateverThePartnerDoes_EndsWithADocumentedStatusWithinItsDeadline(int marginMilliseconds, bool gatewayAnswersEveryCall)
    {
        await using var environment = await GatewayEnvironment.StartAsync(options => SettlementFaultRun.ForRun(options) with
        {
            Outbound = options.Outbound with { DeadlineMargin = TimeSpan.FromMilliseconds(marginMilliseconds) },
            Resilience = options.Resilience with
            {
                Overrides = [new ResilienceOverrideOptions { Region = "330000", AttemptTimeout = TimeSpan.FromMilliseconds(300) }],
            },
        });
        await environment.Regions["310000"].StopAsync();
        environment.Regions["320000"].Faults.Set(new FaultSettings { BlackHole = true });
        environment.Regions["330000"].Faults.Set(new FaultSettings { Latency = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)), LatencyRate = 1 });
        environment.Regions["330100"].Faults.Set(new FaultSettings { Errors = { new ErrorFault { StatusCode = (int)StatusCode.Unavailable, Rate = 0.3 } } });
        environment.Regions["340000"].Faults.Set(new FaultSettings { Crash = true });
        var client = SettlementRequests.HospitalClient(environment);
        var channel = environment.ChannelFor(TestParticipants.Hospital);
        // One call alone first, so that the hospital's certificate is verified before the burst (ConcurrentCallerVerificationTests).
        await client.GetInsuredPersonAsync(SettlementRequests.InsuredPerson(environment.Regions["341021"].Population));

        var calls = new List<Task<Call>>();
        foreach (var region in Faults.Keys)
        {
            var population = environment.Regions[region].Population;
            for (var i = 0; i < 6; i++)
            {
                var n = i;
                calls.Add(CallAsync(region, "GetInsuredPerson", false, () => client.GetInsuredPersonAsync(
                    SettlementRequests.InsuredPerson(population, n), deadline: DateTime.UtcNow + Deadline).ResponseAsync));
                if (region != "341021")
                {
                    // Pricing a visit is for the insured region outside the county; Anhui (340000) contains the county,
                    // so it would refuse them INVALID_ARGUMENT, if they got that far.
                    calls.Add(CallAsync(region, "PreSettle", false, () => client.PreSettleAsync(
                        SettlementRequests.PreSettle(population, n), deadline: DateTime.UtcNow + Deadline).ResponseAsync));
                    var bill = Bill.For((Array.IndexOf([.. Faults.Keys], region) * 100) + n, region, Seeded.ActiveEmployee(population, minimumBalance: 100_00, skip: n % 5).CitizenId);
                    calls.Add(CallAsync(region, "Settle", true, () => Settlements.SendAsync(channel, bill.Request, DateTime.UtcNow + Deadline)));
                }
            }
        }

        // Each call has its deadline, so this ends by itself; the timeout only turns a hang into a failure.
        var ended = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromMinutes(2));

        output.WriteLine($"deadline margin {marginMilliseconds} ms: {ended.Length} calls, {ended.Count(c => c.Ending == Ending.CallersOwnDeadline)} ended by the caller's own deadline");
        foreach (var group in ended.GroupBy(c => (c.Region, c.Method)))
        {
            output.WriteLine($"{group.Key.Region} ({Faults[group.Key.Region]}) {group.Key.Method}: " + string.Join(", ", group
                .GroupBy(c => $"{c.Ending}{(c.Reason is null ? "" : "/" + c.Reason)}").OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}")));
        }

        var odd = ended.Where(c => !Endings.IsDocumented(c.Ending)).Select(c => $"{c.Region} {c.Method}: {c.Status} '{c.Detail}'").ToArray();
        Assert.True(odd.Length == 0, "calls not ended by a documented status:\n" + string.Join("\n", odd));
        if (gatewayAnswersEveryCall)
        {
            var late = ended.Where(c => !Endings.IsAnsweredByGateway(c.Ending)).Select(c => $"{c.Region} {c.Method}: {c.Status} '{c.Detail}'").ToArray();
            Assert.True(late.Length == 0, "calls the gateway did not answer within their deadline:\n" + string.Join("\n", late));
        }

        // Beyond the gateway's answer, the status each fault calls for; the caller's own deadline can end any call
        // that is still waiting for a partner when the margin is thin.
        var answered = ended.Where(c => Endings.IsAnsweredByGateway(c.Ending)).ToArray();

        Assert.All(Of(answered, "341021"), c => Assert.Equal(Ending.Succeeded, c.Ending));
        // Stopped: nothing can have been sent, so a settlement is never an unknown outcome.
        Assert.All(Of(answered, "310000"), c => Assert.Contains(c.Ending, new[] { Ending.Unavailable, Ending.FailedFast }));
        // Black-holed: read-only calls run out of time; a settlement was sent and never answered: unknown.
        Assert.All(Of(answered, "320000", sideEffecting: false), c => Assert.Contains(c.Ending, new[] { Ending.GatewayDeadline, Ending.FailedFast }));
        Assert.All(Of(answered, "320000", sideEffecting: true), c => Assert.Contains(c.Ending, new[] { Ending.OutcomeUnknown, Ending.FailedFast }));
        // Slower than the attempt timeout: read-only calls are cut by it; a settlement has no attempt timeout and waits for its answer.
        Assert.All(Of(answered, "330000", sideEffecting: false), c => Assert.Contains(c.Ending, new[] { Ending.GatewayDeadline, Ending.FailedFast }));
        Assert.All(Of(answered, "330000", sideEffecting: true), c => Assert.Contains(c.Ending, new[] { Ending.Succeeded, Ending.FailedFast }));
        // Failing 30%: read-only calls are retried; a settlement's UNAVAILABLE may come after it was carried out: unknown.
        Assert.All(Of(answered, "330100", sideEffecting: false), c => Assert.Contains(c.Ending, new[] { Ending.Succeeded, Ending.Unavailable }));
        Assert.All(Of(answered, "330100", sideEffecting: true), c => Assert.Contains(c.Ending, new[] { Ending.Succeeded, Ending.OutcomeUnknown }));
        // Crashing: calls in flight lose their connection, later ones find nobody listening.
        Assert.All(Of(answered, "340000", sideEffecting: false), c => Assert.Contains(c.Ending, new[] { Ending.Unavailable, Ending.FailedFast }));
        Assert.All(Of(answered, "340000", sideEffecting: true), c => Assert.Contains(c.Ending, new[] { Ending.OutcomeUnknown, Ending.Unavailable, Ending.FailedFast, Ending.Refused }));
    }

    private static IEnumerable<Call> Of(IEnumerable<Call> calls, string region, bool? sideEffecting = null) =>
        calls.Where(c => c.Region == region && (sideEffecting is null || c.SideEffecting == sideEffecting));

    private static async Task<Call> CallAsync(string region, string method, bool sideEffecting, Func<Task> call)
    {
        try
        {
            await call();
            return new Call(region, method, sideEffecting, Ending.Succeeded, StatusCode.OK, null, "");
        }
        catch (RpcException e)
        {
            return new Call(region, method, sideEffecting, Endings.Of(e, sideEffecting), e.StatusCode, ResilienceErrors.ReasonOf(e), e.Status.Detail);
        }
    }

    private sealed record Call(string Region, string Method, bool SideEffecting, Ending Ending, StatusCode Status, string? Reason, string Detail);
}
