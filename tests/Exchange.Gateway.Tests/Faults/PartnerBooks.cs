using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.Sim.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Tests.Idempotency;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Population;
using Grpc.Net.Client;
using Client = Exchange.Contracts.Medical.V1.CrossRegionSettlementService.CrossRegionSettlementServiceClient;

namespace Exchange.Gateway.Tests.Faults;

/// <summary>
/// The partner regions' books as the simulators keep them, read directly (not through the gateway): the insured
/// persons' balances before a run, and after it the proof that each msgid was settled exactly once, that every
/// balance moved by exactly what the answers said, and that each day's reconciliation totals are the sum of them.
/// </summary>
internal sealed class PartnerBooks : IDisposable
{
    /// <summary>The partner regions the county hospital settles with (Anhui 340000 contains the county, so it is not one).</summary>
    public static readonly string[] SettlingRegions = ["310000", "320000", "330000", "330100"];

    private readonly GatewayEnvironment _environment;
    private readonly Dictionary<string, GrpcChannel> _channels;
    private readonly Dictionary<string, long> _recordedBefore;
    private readonly Dictionary<string, MethodStats> _settlesBefore;
    private readonly Dictionary<(string Region, string CitizenId), InsuredPerson> _personsBefore;

    private PartnerBooks(
        GatewayEnvironment environment,
        Dictionary<string, GrpcChannel> channels,
        Dictionary<string, long> recordedBefore,
        Dictionary<string, MethodStats> settlesBefore,
        Dictionary<(string Region, string CitizenId), InsuredPerson> personsBefore)
    {
        _environment = environment;
        _channels = channels;
        _recordedBefore = recordedBefore;
        _settlesBefore = settlesBefore;
        _personsBefore = personsBefore;
    }

    /// <summary>
    /// <paramref name="count"/> bills spread over the settling regions and, in each, over every active employee with
    /// money in the personal account (about 30 per region of 60 residents).
    /// </summary>
    public static Bill[] Bills(GatewayEnvironment environment, int count)
    {
        var people = SettlingRegions.ToDictionary(code => code, code => Insured(environment.Regions[code].Population));
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var region = SettlingRegions[i % SettlingRegions.Length];
            var persons = people[region];
            return Bill.For(i, region, persons[i / SettlingRegions.Length % persons.Count].CitizenId);
        })];
    }

    /// <summary>Reads what the books hold before the run (call it before any fault is injected).</summary>
    public static async Task<PartnerBooks> OpenAsync(GatewayEnvironment environment, IReadOnlyList<Bill> bills)
    {
        var channels = SettlingRegions.ToDictionary(code => code, environment.ChannelToRegion);
        var persons = new Dictionary<(string, string), InsuredPerson>();
        foreach (var (region, citizenId) in bills.Select(b => (b.Region, b.CitizenId)).Distinct())
        {
            persons[(region, citizenId)] = (await new Client(channels[region]).GetInsuredPersonAsync(new GetInsuredPersonRequest
            {
                InsuredRegion = region, CitizenId = citizenId, Purpose = PurposeOfUse.MedicalSettlement,
            })).Person;
        }

        return new PartnerBooks(
            environment,
            channels,
            SettlingRegions.ToDictionary(code => code, code => Settlements.Recorded(environment.Regions[code])),
            SettlingRegions.ToDictionary(code => code, code => SettleStats(environment.Regions[code])),
            persons);
    }

    /// <summary>Settlements recorded by the settling regions since <see cref="OpenAsync"/>.</summary>
    public long SettlementsRecorded => SettlingRegions.Sum(code => Settlements.Recorded(_environment.Regions[code]) - _recordedBefore[code]);

    /// <summary>
    /// Settle calls the settling regions received since <see cref="OpenAsync"/>: all, those failed by an injected
    /// error, those that ended otherwise (cancelled while an injected latency held them), those answered.
    /// </summary>
    public (long Received, long Faulted, long Failed, long Answered) SettleCalls()
    {
        long received = 0, faulted = 0, failed = 0, answered = 0;
        foreach (var code in SettlingRegions)
        {
            var (now, before) = (SettleStats(_environment.Regions[code]), _settlesBefore[code]);
            received += now.Received - before.Received;
            faulted += now.Faulted - before.Faulted;
            failed += now.Failed - before.Failed;
            answered += now.Succeeded - before.Succeeded;
        }

        return (received, faulted, failed, answered);
    }

    /// <summary>
    /// Asserts, at the simulators (faults must be cleared): one settlement per msgid, and it is the one the client was
    /// answered; every balance changed by exactly the amounts answered; each day's reconciliation summary is their sum.
    /// </summary>
    public async Task AssertExactAsync(IReadOnlyList<BillOutcome> outcomes)
    {
        var settled = outcomes.Select(o => (o.Bill, Settlement: o.Settlement ?? throw new InvalidOperationException($"bill {o.Bill.Index} has no answer"))).ToArray();

        // Exactly one settlement per msgid: as many recorded as bills, each found by its msgid and equal to the answer.
        foreach (var code in SettlingRegions)
        {
            var bills = settled.Count(s => s.Bill.Region == code);
            Assert.True(
                Settlements.Recorded(_environment.Regions[code]) - _recordedBefore[code] == bills,
                $"region {code}: {Settlements.Recorded(_environment.Regions[code]) - _recordedBefore[code]} settlements recorded for {bills} msgids");
        }

        Assert.Equal(settled.Length, settled.Select(s => s.Settlement.SettlementId).Distinct(StringComparer.Ordinal).Count());
        foreach (var (bill, settlement) in settled)
        {
            var atPartner = (await Partner(bill.Region).GetSettlementAsync(new GetSettlementRequest
            {
                InsuredRegion = bill.Region, RequestId = bill.RequestId, Purpose = PurposeOfUse.MedicalSettlement,
            })).Settlement;
            Assert.Equal(settlement, atPartner);
            Assert.Equal(bill.RequestId, atPartner.RequestId);
            Assert.Equal(SettlementState.Settled, atPartner.State);
        }

        // Balances: each person's account, deductible and cap moved by exactly the sum of the amounts answered.
        foreach (var person in settled.GroupBy(s => (s.Bill.Region, s.Bill.CitizenId)))
        {
            var before = _personsBefore[person.Key];
            var now = (await Partner(person.Key.Region).GetInsuredPersonAsync(new GetInsuredPersonRequest
            {
                InsuredRegion = person.Key.Region, CitizenId = person.Key.CitizenId, Purpose = PurposeOfUse.MedicalSettlement,
            })).Person;
            var amounts = person.Select(s => s.Settlement.Amounts).ToArray();
            Assert.Equal(before.AccountBalance.Fen - amounts.Sum(a => a.AccountPayment.Fen), now.AccountBalance.Fen);
            Assert.Equal(before.DeductibleRemaining.Fen - amounts.Sum(a => a.DeductibleApplied.Fen), now.DeductibleRemaining.Fen);
            Assert.Equal(before.CapRemaining.Fen - amounts.Sum(a => a.FundPayment.Fen), now.CapRemaining.Fen);
        }

        // Reconciliation (national 3201) of each region and settlement day: the sum of the settlements answered.
        foreach (var day in settled.GroupBy(s => (s.Bill.Region, s.Settlement.SettlementDate)))
        {
            var summary = await Partner(day.Key.Region).GetReconciliationSummaryAsync(new GetReconciliationSummaryRequest
            {
                InsuredRegion = day.Key.Region, TreatmentRegion = "341021", SettlementDate = day.Key.SettlementDate,
            });
            var amounts = day.Select(s => s.Settlement.Amounts).ToArray();
            Assert.Equal(amounts.Length, summary.SettledCount);
            Assert.Equal(0, summary.UndoneCount);
            Assert.Equal(amounts.Sum(a => a.Total.Fen), summary.Total.Fen);
            Assert.Equal(amounts.Sum(a => a.FundPayment.Fen), summary.FundPayment.Fen);
            Assert.Equal(amounts.Sum(a => a.AccountPayment.Fen), summary.AccountPayment.Fen);
            Assert.Equal(amounts.Sum(a => a.CashPayment.Fen), summary.CashPayment.Fen);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }

    private Client Partner(string region) => new(_channels[region]);

    private static List<SeededInsurance> Insured(RegionPopulation population) =>
        [.. population.Insurance.Where(i => i.Type == InsuranceType.Employee && i.Status == InsuranceStatus.Active && i.AccountBalanceFen >= 100_00)];

    private static MethodStats SettleStats(PartnerRegionHost region) =>
        region.Statistics.Snapshot().SingleOrDefault(s => s.Path == Settlements.Path) ?? new MethodStats { Path = Settlements.Path };
}
