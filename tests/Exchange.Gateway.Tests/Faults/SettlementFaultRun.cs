using System.Diagnostics;
using Exchange.Contracts.Sim.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Idempotency;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.PartnerSim.Hosting;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace Exchange.Gateway.Tests.Faults;

/// <summary>The faults of a run: what every settling region's simulator injects, and the share of answers lost after settling.</summary>
internal sealed record RunFaults(string Name, FaultSettings AtPartners, double AnswersLost = 0)
{
    /// <summary>The links losing answers of <see cref="AnswersLost"/>, one per settling region (none when it is 0).</summary>
    public bool LosesAnswers => AnswersLost > 0;
}

/// <summary>
/// A settlement run under faults: bills spread over the partner regions, settled by the retrying hospital through one
/// or more gateways while the partners fail, then checked at the partners (exactly once, balances, reconciliation),
/// against the gateway's own idempotency counts, and call by call (each ended, by its deadline at the latest, with a
/// documented status). Prints the figures.
/// </summary>
internal static class SettlementFaultRun
{
    /// <summary>Gateway options for a run: the county hospital is a load client, its rate limit is not what is tested.</summary>
    public static GatewayOptions ForRun(GatewayOptions options) => options with
    {
        Resilience = options.Resilience with
        {
            RateLimit = options.Resilience.RateLimit with
            {
                Participants = [new ParticipantRateLimitOptions { Participant = TestParticipants.Hospital, Enabled = false }],
            },
        },
    };

    /// <summary>
    /// Simulated regions with fault dice of their own (the seed also seeds the population): with the default seed,
    /// every region would draw the same sequence, and a run would see one region's pattern four times over.
    /// </summary>
    public static PartnerRegionOptions OwnDice(PartnerRegionOptions options) =>
        options with { Seed = int.Parse(options.RegionCode, System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>
    /// Starts the links that lose answers, one per settling region (none when <paramref name="faults"/> loses no
    /// answer), before the environment: configure its gateway with <see cref="ThroughLinks"/>, then
    /// <see cref="AnswerLosingLink.Connect"/> each link to it.
    /// </summary>
    public static async Task<AnswerLosingLink[]> StartLinksAsync(RunFaults faults)
    {
        if (!faults.LosesAnswers)
        {
            return [];
        }

        var links = new List<AnswerLosingLink>();
        for (var i = 0; i < PartnerBooks.SettlingRegions.Length; i++)
        {
            links.Add(await AnswerLosingLink.StartAsync(PartnerBooks.SettlingRegions[i], faults.AnswersLost, seed: 4000 + i));
        }

        return [.. links];
    }

    /// <summary>
    /// Brings every gateway to its working state before the run is counted: the hospital's certificate verified,
    /// connections to each settling region and, above all, to the idempotency store. One call alone first: the
    /// gateway verifies a client certificate it has no verdict for on every call that arrives meanwhile, and
    /// concurrent verifications of one certificate can refuse it (ConcurrentCallerVerificationTests). Then
    /// <paramref name="concurrency"/> calls at once: a gateway with the PostgreSQL store opens a database connection
    /// per concurrent call on first use, and on two cores that many at once spend most of a 2 s deadline on it
    /// (connection set-up and SCRAM authentication). The warm-up bills name someone the regions do not insure: each is
    /// refused NOT_FOUND (recorded in the store as definite) and settles nothing, so the partners' books are as before.
    /// </summary>
    private static async Task WarmUpAsync(GatewayEnvironment environment, IReadOnlyList<GrpcChannel> gateways, int concurrency)
    {
        var stranger = Seeded.ActiveEmployee(environment.Regions["340000"].Population, minimumBalance: 0).CitizenId;
        var warmUps = Enumerable.Range(0, (concurrency + 1) * gateways.Count)
            .Select(i => (Gateway: gateways[i % gateways.Count], Bill: Bill.For(100_000 + i, PartnerBooks.SettlingRegions[i % PartnerBooks.SettlingRegions.Length], stranger)))
            .ToArray();
        foreach (var first in warmUps.Take(gateways.Count))
        {
            await RefusedAsync(first.Gateway, first.Bill);
        }

        await Task.WhenAll(warmUps.Skip(gateways.Count).Select(w => RefusedAsync(w.Gateway, w.Bill)));

        static async Task RefusedAsync(GrpcChannel gateway, Bill bill)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => Settlements.SendAsync(gateway, bill.Request, DateTime.UtcNow.AddSeconds(30)));
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
        }
    }

    /// <summary>The gateway options with each settling region's endpoint replaced by its link.</summary>
    public static GatewayOptions ThroughLinks(GatewayOptions options, IReadOnlyList<AnswerLosingLink> links) => options with
    {
        Regions = [.. options.Regions.Select(r => links.FirstOrDefault(l => l.RegionCode == r.Code) is { } link ? r with { Endpoints = [link.Address.ToString()] } : r)],
    };

    /// <summary>Runs <paramref name="billCount"/> bills through <paramref name="gateways"/> under <paramref name="faults"/> and asserts the outcome.</summary>
    public static async Task<RunFigures> RunAsync(
        GatewayEnvironment environment,
        IReadOnlyList<GrpcChannel> gateways,
        IReadOnlyList<AnswerLosingLink> links,
        RunFaults faults,
        int billCount,
        ITestOutputHelper output,
        ClientBehaviour? behaviour = null)
    {
        behaviour ??= new ClientBehaviour();
        await WarmUpAsync(environment, gateways, behaviour.Concurrency);
        var bills = PartnerBooks.Bills(environment, billCount);
        using var books = await PartnerBooks.OpenAsync(environment, bills);
        using var handling = new HandlingCounts(Settlements.Path);
        var hospital = new RetryingHospital(gateways, behaviour);

        foreach (var code in PartnerBooks.SettlingRegions)
        {
            environment.Regions[code].Faults.Set(faults.AtPartners);
        }

        BillOutcome[] outcomes;
        var clock = Stopwatch.StartNew();
        try
        {
            // Every call has its deadline, so the run ends by itself; this only turns a hang into a failure instead of a stuck test run.
            using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            outcomes = await hospital.SettleAsync(bills, hang.Token);
        }
        finally
        {
            foreach (var code in PartnerBooks.SettlingRegions)
            {
                environment.Regions[code].Faults.Set(new FaultSettings());
            }

            foreach (var link in links)
            {
                link.StopLosing();
            }
        }

        clock.Stop();
        var calls = outcomes.SelectMany(o => o.Calls).ToArray();
        var (received, faulted, cancelled, answered) = books.SettleCalls();
        var figures = new RunFigures
        {
            Run = faults.Name,
            Gateways = gateways.Count,
            Store = environment.Gateway.Options.Idempotency.Store.ToString(),
            Margin = environment.Gateway.Options.Outbound.DeadlineMargin,
            Bills = bills.Length,
            Concurrency = behaviour.Concurrency,
            Deadline = behaviour.Deadline,
            CallsMade = hospital.Calls,
            Succeeded = calls.Count(c => c.Ending == Ending.Succeeded),
            FailedFast = calls.Count(c => c.Ending == Ending.FailedFast),
            NotSent = calls.Count(c => c.Ending == Ending.Unavailable),
            OutcomeUnknown = calls.Count(c => c.Ending == Ending.OutcomeUnknown),
            UnknownAfterDeadline = calls.Count(c => c.Ending == Ending.OutcomeUnknown && c.Cause == "DEADLINE_EXCEEDED"),
            InProgress = calls.Count(c => c.Ending == Ending.InProgress),
            Refused = calls.Count(c => c.Ending is Ending.Refused or Ending.RequestIdReused),
            CallersOwnDeadline = calls.Count(c => c.Ending == Ending.CallersOwnDeadline),
            Undocumented = calls.Count(c => c.Ending == Ending.Undocumented),
            MostAttempts = outcomes.Max(o => o.Calls.Where(c => c.Attempt < behaviour.MaxAttempts).Max(c => c.Attempt) + 1),
            WorstBill = outcomes.MaxBy(o => o.Calls.Where(c => c.Attempt < behaviour.MaxAttempts).Max(c => c.Attempt)) is { } worst
                ? $"bill {worst.Bill.Index}: " + string.Join(", ", worst.Calls.OrderBy(c => c.Started).Select(c => $"{c.Ending}{(c.Cause is null ? "" : "(" + c.Cause + ")")}"))
                : "",
            Forwarded = handling["forwarded"],
            Resent = handling["resent"],
            Replayed = handling["replayed"],
            Coalesced = handling["coalesced"],
            Awaited = handling["awaited"],
            RecordedUnknown = handling["unknown"],
            Released = handling["released"],
            GatewayInProgress = handling["in_progress"],
            Conflicts = handling["conflict"],
            SettleCallsAtPartners = received,
            InjectedUnavailable = faulted,
            CancelledAtPartners = cancelled,
            AnsweredByPartners = answered,
            AnswersLostAfterSettling = links.Sum(l => l.Lost),
            SettlementsAtPartners = books.SettlementsRecorded,
            Elapsed = clock.Elapsed,
        };
        figures.Print(output);

        // Every call ended (none hangs: each has its deadline) with a status the documents list. Those the caller's own
        // deadline ended (the gateway's answer came later) are counted in the figures; the client resent them.
        var odd = calls.Where(c => !Endings.IsDocumented(c.Ending)).Take(20).Select(c => $"bill {c.Bill} attempt {c.Attempt} gateway {c.Gateway} at {c.Started.TotalMilliseconds:0} ms took {c.Took.TotalMilliseconds:0} ms: {c.Status} {c.Reason} '{c.Detail}'").ToArray();
        Assert.True(odd.Length == 0, "calls without a documented status:\n" + string.Join("\n", odd));
        Assert.Equal(figures.CallsMade, calls.Length);

        // Every bill got its answer within the client's attempts, and every answer to a msgid is the same bytes.
        var unsettled = outcomes.Where(o => o.Final != Ending.Succeeded).Select(o => $"bill {o.Bill.Index}: {o.Final?.ToString() ?? "attempts ran out"}, {string.Join(", ", o.Calls.Select(c => $"{c.Ending} {c.Reason}"))}").Take(5).ToArray();
        Assert.True(unsettled.Length == 0, "bills without an answer:\n" + string.Join("\n", unsettled));
        Assert.All(outcomes, o => Assert.All(o.Answers, answer => Assert.Equal(o.Answers.First(), answer)));
        Assert.All(outcomes, o => Assert.Equal(o.Bill.RequestId, o.Settlement!.RequestId));

        // The gateway never sent a settlement on its own initiative: every call a partner received was a forward or a
        // resend the client asked for; and every answer the client lost and asked again came from the store.
        Assert.True(received <= figures.Forwarded + figures.Resent, $"{received} Settle calls at the partners, {figures.Forwarded} forwarded and {figures.Resent} resent");
        Assert.Equal(0, figures.Conflicts);
        var resendsAfterAnswer = outcomes.Sum(o => o.Calls.Count(c => c.Attempt == behaviour.MaxAttempts));
        Assert.True(figures.DuplicatesSuppressed >= resendsAfterAnswer, $"{figures.DuplicatesSuppressed} duplicates suppressed, {resendsAfterAnswer} resends after an answer");

        await books.AssertExactAsync(outcomes);
        Assert.Equal(bills.Length, figures.SettlementsAtPartners);
        return figures;
    }
}

/// <summary>The figures of a run, as printed for the closing note.</summary>
internal sealed record RunFigures
{
    public required string Run { get; init; }

    public required int Gateways { get; init; }

    public required string Store { get; init; }

    public required TimeSpan Margin { get; init; }

    public required int Bills { get; init; }

    public required int Concurrency { get; init; }

    public required TimeSpan Deadline { get; init; }

    public required int CallsMade { get; init; }

    public required int Succeeded { get; init; }

    public required int FailedFast { get; init; }

    public required int NotSent { get; init; }

    public required int OutcomeUnknown { get; init; }

    public required int UnknownAfterDeadline { get; init; }

    public required int InProgress { get; init; }

    public required int Refused { get; init; }

    public required int CallersOwnDeadline { get; init; }

    public required int Undocumented { get; init; }

    public required int MostAttempts { get; init; }

    public required string WorstBill { get; init; }

    public required int Forwarded { get; init; }

    public required int Resent { get; init; }

    public required int Replayed { get; init; }

    public required int Coalesced { get; init; }

    public required int Awaited { get; init; }

    public required int RecordedUnknown { get; init; }

    public required int Released { get; init; }

    public required int GatewayInProgress { get; init; }

    public required int Conflicts { get; init; }

    public required long SettleCallsAtPartners { get; init; }

    public required long InjectedUnavailable { get; init; }

    public required long CancelledAtPartners { get; init; }

    public required long AnsweredByPartners { get; init; }

    public required int AnswersLostAfterSettling { get; init; }

    public required long SettlementsAtPartners { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>Answered by the gateway without a forward of their own: replayed from the store, joined in-process, awaited from another gateway.</summary>
    public int DuplicatesSuppressed => Replayed + Coalesced + Awaited;

    /// <summary>Repeats of a msgid the partners had already settled, answered by their own deduplication with the original result.</summary>
    public long DedupedByPartners => AnsweredByPartners - SettlementsAtPartners;

    public void Print(ITestOutputHelper output)
    {
        output.WriteLine($"== {Run}");
        output.WriteLine($"{Bills} bills, {Gateways} gateway(s), {Store} store, {Concurrency} in flight, deadline {Deadline.TotalSeconds:0.#} s per call, deadline margin {Margin.TotalMilliseconds:0} ms; run took {Elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"calls made:                    {CallsMade}");
        output.WriteLine($"  succeeded (OK):              {Succeeded}");
        output.WriteLine($"  failed fast (nothing sent):  {FailedFast} refused by breaker/bulkhead/rate limit/store, {NotSent} UNAVAILABLE proven not sent");
        output.WriteLine($"  unknown outcomes:            {OutcomeUnknown} ABORTED/OUTCOME_UNKNOWN ({UnknownAfterDeadline} of them after the partner's deadline), {InProgress} ABORTED/REQUEST_IN_PROGRESS");
        output.WriteLine($"  definite refusals:           {Refused}");
        output.WriteLine($"  ended by the caller's own deadline (the gateway's answer later): {CallersOwnDeadline}; undocumented statuses: {Undocumented}");
        output.WriteLine($"  most calls for one bill:     {MostAttempts} ({WorstBill})");
        output.WriteLine($"gateway idempotency handling:  forwarded {Forwarded}, resent {Resent}, replayed {Replayed}, coalesced {Coalesced}, awaited {Awaited}, unknown {RecordedUnknown}, released {Released}, in_progress {GatewayInProgress}, conflict {Conflicts}");
        output.WriteLine($"duplicates suppressed:         {DuplicatesSuppressed} (replayed + coalesced + awaited)");
        output.WriteLine($"Settle calls at the partners:  {SettleCallsAtPartners}: {InjectedUnavailable} failed by injected UNAVAILABLE, {CancelledAtPartners} delayed beyond the deadline and cancelled unsettled, {AnsweredByPartners} answered ({AnswersLostAfterSettling} answers lost on the way back after settling; {DedupedByPartners} repeats answered by the partner's own deduplication)");
        output.WriteLine($"settlements at the partners:   {SettlementsAtPartners} for {Bills} msgids");
    }
}
