using System.Collections.Concurrent;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Identifiers;
using Exchange.Gateway.Tests.Idempotency;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace Exchange.Gateway.Tests.Faults;

/// <summary>One bill of the run: a visit of a partner region's insured at the county hospital, under its own msgid.</summary>
internal sealed record Bill(int Index, string Region, string CitizenId, string RequestId, byte[] Request)
{
    private const string HospitalCode = "H34102100001";

    /// <summary>The <paramref name="index"/>-th bill of a run, for <paramref name="citizenId"/> insured in <paramref name="region"/>.</summary>
    public static Bill For(int index, string region, string citizenId)
    {
        // A fresh msgid per bill: the run's "send time" advances a second every 1,000 bills.
        var requestId = SettlementMessageId.Create(HospitalCode, new DateTime(2026, 6, 2, 8, 0, 0, DateTimeKind.Unspecified).AddSeconds(index / 1000), index % 1000).Value;
        var request = new SettleRequest
        {
            RequestId = requestId,
            InsuredRegion = region,
            Purpose = PurposeOfUse.MedicalSettlement,
            Visit = new Visit
            {
                TreatmentRegion = "341021",
                CitizenId = citizenId,
                Hospital = new Hospital { Code = HospitalCode, Level = (index % 3) switch { 0 => HospitalLevel.Primary, 1 => HospitalLevel.Secondary, _ => HospitalLevel.Tertiary } },
                VisitId = $"MDT20260602{index:D6}",
                FeeItems =
                {
                    // Small bills of varying size: a person's cap and account last for every bill of the run.
                    new FeeItem { ItemCode = "XA01AAA001", CatalogueClass = CatalogueClass.A, Amount = new Money { Fen = 20_00 + (index % 7 * 5_00) } },
                    new FeeItem { ItemCode = "XB02BBB002", CatalogueClass = CatalogueClass.B, Amount = new Money { Fen = 10_00 + (index % 5 * 3_17) } },
                },
            },
        };
        return new Bill(index, region, citizenId, requestId, request.ToByteArray());
    }
}

/// <summary>One call the client made, and how it ended.</summary>
internal sealed record CallRecord(int Bill, int Attempt, int Gateway, Ending Ending, StatusCode Status, string? Reason, string? Cause, string Detail, TimeSpan Started, TimeSpan Took);

/// <summary>What became of one bill.</summary>
internal sealed class BillOutcome(Bill bill)
{
    public Bill Bill { get; } = bill;

    /// <summary>The calls made for it, in the order they ended.</summary>
    public ConcurrentQueue<CallRecord> Calls { get; } = new();

    /// <summary>Every OK answer (the first one, those of duplicates and of the client's resends).</summary>
    public ConcurrentQueue<byte[]> Answers { get; } = new();

    /// <summary>The definite ending the client stopped at, or null when its attempts ran out first.</summary>
    public Ending? Final { get; set; }

    /// <summary>The settlement of the first OK answer.</summary>
    public Settlement? Settlement => Answers.TryPeek(out var first) ? SettleResponse.Parser.ParseFrom(first).Settlement : null;
}

/// <summary>How the hospital's client behaves.</summary>
internal sealed record ClientBehaviour
{
    /// <summary>Calls in flight at once. Default 16.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>The deadline of each call. Default 2 s.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Calls per bill before the client gives up (duplicates and resends after an answer not counted). Default 10.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>Every how-many-th bill is sent twice at once at first (a double click, two workers of the client). Default 20.</summary>
    public int DoubleSendEvery { get; init; } = 20;

    /// <summary>Every how-many-th bill is resent after its answer arrived (the client lost it, e.g. a crash before saving it). Default 10.</summary>
    public int ResendAfterAnswerEvery { get; init; } = 10;
}

/// <summary>
/// The county hospital's settlement client, as docs/idempotency.md tells integrators to write it: each bill has its
/// own msgid, chosen before the first send; whatever ends a call without a definite answer (an unknown outcome, a
/// request still in progress, a refusal that sent nothing, the call's own deadline) is followed by a resend of the
/// identical bytes under the same msgid, never a new one, until the answer (or a definite refusal) arrives or the
/// attempts run out. Attempt n of a bill goes to gateway (bill + n) mod gateways, so with two gateways every retry
/// goes to the other one.
/// </summary>
internal sealed class RetryingHospital(IReadOnlyList<GrpcChannel> gateways, ClientBehaviour behaviour)
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private int _calls;

    /// <summary>Calls made so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Settles every bill; returns what became of each, in bill order.</summary>
    public async Task<BillOutcome[]> SettleAsync(IReadOnlyList<Bill> bills, CancellationToken cancellationToken)
    {
        var outcomes = bills.Select(b => new BillOutcome(b)).ToArray();
        await Parallel.ForEachAsync(
            outcomes,
            new ParallelOptions { MaxDegreeOfParallelism = behaviour.Concurrency, CancellationToken = cancellationToken },
            async (outcome, _) => await SettleAsync(outcome));
        return outcomes;
    }

    private async Task SettleAsync(BillOutcome outcome)
    {
        var bill = outcome.Bill;
        for (var attempt = 0; attempt < behaviour.MaxAttempts && outcome.Final is null; attempt++)
        {
            Ending ending;
            if (attempt == 0 && bill.Index % behaviour.DoubleSendEvery == behaviour.DoubleSendEvery - 1)
            {
                var twice = await Task.WhenAll(CallAsync(outcome, attempt, bill.Index), CallAsync(outcome, attempt, bill.Index + 1));
                ending = twice.FirstOrDefault(Endings.IsDefinite, twice[0]);
            }
            else
            {
                ending = await CallAsync(outcome, attempt, bill.Index + attempt);
            }

            if (Endings.IsDefinite(ending))
            {
                outcome.Final = ending;
            }
        }

        if (outcome.Final == Ending.Succeeded && bill.Index % behaviour.ResendAfterAnswerEvery == behaviour.ResendAfterAnswerEvery - 1)
        {
            // The answer was lost on the client's side: it resends the identical request, to the next gateway.
            await CallAsync(outcome, behaviour.MaxAttempts, bill.Index + behaviour.MaxAttempts);
        }
    }

    private async Task<Ending> CallAsync(BillOutcome outcome, int attempt, int gatewayTurn)
    {
        Interlocked.Increment(ref _calls);
        var gateway = gatewayTurn % gateways.Count;
        RpcException? error = null;
        var started = _clock.Elapsed;
        try
        {
            var answer = await Settlements.SendAsync(gateways[gateway], outcome.Bill.Request, DateTime.UtcNow + behaviour.Deadline);
            outcome.Answers.Enqueue(answer);
        }
        catch (RpcException e)
        {
            error = e;
        }

        var ending = Endings.Of(error, sideEffecting: true);
        var info = error?.GetRpcStatus()?.GetDetail<ErrorInfo>();
        outcome.Calls.Enqueue(new CallRecord(
            outcome.Bill.Index,
            attempt,
            gateway,
            ending,
            error?.StatusCode ?? StatusCode.OK,
            info?.Reason,
            info?.Metadata.TryGetValue("cause", out var cause) == true ? cause : null,
            error?.Status.Detail ?? "",
            started,
            _clock.Elapsed - started));
        return ending;
    }
}
