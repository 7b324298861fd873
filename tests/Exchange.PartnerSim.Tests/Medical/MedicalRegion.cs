using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Identifiers;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Population;
using Exchange.PartnerSim.Tests.Infrastructure;
using Client = Exchange.Contracts.Medical.V1.CrossRegionSettlementService.CrossRegionSettlementServiceClient;

namespace Exchange.PartnerSim.Tests.Medical;

/// <summary>
/// A simulated insured region with a settlement client, handing each test people and request ids no other test of
/// the class uses, so tests sharing the region (as a class fixture) cannot disturb each other's balances.
/// </summary>
public sealed class MedicalRegion : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>She County, Anhui: where the patients are treated.</summary>
    public const string TreatmentRegion = "341021";

    /// <summary>The treating hospital (a She County tertiary hospital).</summary>
    public const string HospitalCode = "H34102100001";

    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private int _sequence;
    private SimulatedRegion? _region;

    /// <summary>The simulator and its channel.</summary>
    public SimulatedRegion Region => _region ?? throw new InvalidOperationException("not started");

    /// <summary>GB/T 2260 code of the insured region.</summary>
    public string Code => Region.Host.RegionCode;

    /// <summary>A settlement client over the real channel.</summary>
    public Client Client { get; private set; } = null!;

    /// <summary>Starts a region of its own (for exact totals or a fake clock); defaults to Shanghai.</summary>
    public static async Task<MedicalRegion> StartAsync(PartnerRegionOptions? options = null)
    {
        var region = new MedicalRegion();
        await region.StartCoreAsync(options);
        return region;
    }

    /// <inheritdoc />
    public Task InitializeAsync() => StartCoreAsync(null);

    /// <summary>A msgid no other call to this region has used.</summary>
    public string NextRequestId() => MessageId(Interlocked.Increment(ref _sequence));

    /// <summary>A msgid from the treating hospital with sequence <paramref name="sequence"/>.</summary>
    public static string MessageId(int sequence) =>
        SettlementMessageId.Create(HospitalCode, new DateTime(2025, 6, 1, 9, 30, 0, DateTimeKind.Unspecified), sequence).Value;

    /// <summary>An ACTIVE employee with at least <paramref name="minimumBalance"/> fen in the account, not yet used by a test.</summary>
    public SeededInsurance TakeEmployee(long minimumBalance = 1) =>
        Take(i => i.Type == InsuranceType.Employee && i.Status == InsuranceStatus.Active && i.AccountBalanceFen >= minimumBalance);

    /// <summary>An ACTIVE resident (no personal account), not yet used by a test.</summary>
    public SeededInsurance TakeResident() =>
        Take(i => i.Type == InsuranceType.Resident && i.Status == InsuranceStatus.Active);

    /// <summary>A person whose insurance is SUSPENDED, not yet used by a test.</summary>
    public SeededInsurance TakeSuspended() => Take(i => i.Status == InsuranceStatus.Suspended);

    /// <summary>A person matching <paramref name="wanted"/> that no test has taken.</summary>
    public SeededInsurance Take(Func<SeededInsurance, bool> wanted)
    {
        lock (_taken)
        {
            var person = Region.Host.Population.Insurance.First(i => !_taken.Contains(i.CitizenId) && wanted(i));
            _taken.Add(person.CitizenId);
            return person;
        }
    }

    /// <summary>The person as the region reports them now.</summary>
    public async Task<InsuredPerson> GetPersonAsync(SeededInsurance person) =>
        (await Client.GetInsuredPersonAsync(new GetInsuredPersonRequest
        {
            InsuredRegion = Code,
            CitizenId = person.CitizenId,
            Purpose = PurposeOfUse.MedicalSettlement,
        })).Person;

    /// <summary>A Settle request for <paramref name="visit"/> under a fresh request id unless one is given.</summary>
    public SettleRequest SettleRequest(Visit visit, string? requestId = null) => new()
    {
        RequestId = requestId ?? NextRequestId(),
        InsuredRegion = Code,
        Visit = visit,
        Purpose = PurposeOfUse.MedicalSettlement,
    };

    /// <summary>Settles <paramref name="visit"/> under a fresh request id.</summary>
    public async Task<Settlement> SettleAsync(Visit visit) =>
        (await Client.SettleAsync(SettleRequest(visit))).Settlement;

    /// <summary>A PreSettle request for <paramref name="visit"/>.</summary>
    public PreSettleRequest PreSettleRequest(Visit visit) => new()
    {
        InsuredRegion = Code,
        Visit = visit,
        Purpose = PurposeOfUse.MedicalSettlement,
    };

    /// <summary>A CancelSettlement request under a fresh request id.</summary>
    public CancelSettlementRequest CancelRequest(string settlementId, string citizenId) => new()
    {
        RequestId = NextRequestId(),
        InsuredRegion = Code,
        SettlementId = settlementId,
        CitizenId = citizenId,
        Purpose = PurposeOfUse.MedicalSettlement,
    };

    /// <summary>A ReverseSettlement request under a fresh request id.</summary>
    public ReverseSettlementRequest ReverseRequest(string originalRequestId) => new()
    {
        RequestId = NextRequestId(),
        InsuredRegion = Code,
        OriginalRequestId = originalRequestId,
        Purpose = PurposeOfUse.MedicalSettlement,
    };

    /// <inheritdoc />
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // xunit may dispose a fixture through both interfaces; the second call finds nothing to do.
        var region = Interlocked.Exchange(ref _region, null);
        if (region is not null)
        {
            await region.DisposeAsync();
        }
    }

    private async Task StartCoreAsync(PartnerRegionOptions? options)
    {
        _region = await SimulatedRegion.StartAsync(options);
        Client = new Client(_region.Channel);
    }
}
