using Exchange.Domain.Regions;
using System.Globalization;
using Exchange.Contracts.Medical.V1;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Idempotency;
using Exchange.PartnerSim.Population;
using Google.Protobuf.WellKnownTypes;

namespace Exchange.PartnerSim.Medical;

/// <summary>
/// The insured region's medical-insurance books: every person's balances, every settlement, and the request ids
/// closed by a reversal that found nothing. All state sits under one lock, so a settlement, its balance changes and
/// the record of its request id are a single step, whatever the concurrency.
/// </summary>
internal sealed class SettlementLedger : ISettlementCounter
{
    private readonly object _gate = new();
    private readonly string _region;
    private readonly RegionClock _clock;
    private readonly RegionPopulation _population;
    private readonly Dictionary<string, InsuredAccount> _accounts;
    private readonly List<RecordedSettlement> _settlements = [];
    private readonly Dictionary<string, RecordedSettlement> _bySettlementId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecordedSettlement> _byRequestId = new(StringComparer.Ordinal);
    private readonly HashSet<string> _closedRequestIds = new(StringComparer.Ordinal);
    private readonly RequestIdLedger<SettleRequest, SettleResponse> _settles = new();
    private readonly RequestIdLedger<CancelSettlementRequest, CancelSettlementResponse> _cancels = new();
    private readonly RequestIdLedger<ReverseSettlementRequest, ReverseSettlementResponse> _reversals = new();

    public SettlementLedger(PartnerRegionOptions options, RegionClock clock, RegionPopulation population)
    {
        _region = options.RegionCode;
        _clock = clock;
        _population = population;
        _accounts = population.Insurance.ToDictionary(i => i.CitizenId, InsuredAccount.From, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public long SettlementCount
    {
        get
        {
            lock (_gate)
            {
                return _settlements.Count;
            }
        }
    }

    /// <summary>The person as insured now. NOT_FOUND if nobody with that ID is insured here.</summary>
    public InsuredPerson GetPerson(string citizenId)
    {
        lock (_gate)
        {
            var account = AccountOf(citizenId);
            var name = _population.ResidentsById.TryGetValue(citizenId, out var resident) ? resident.Name : string.Empty;
            return account.ToProto(_region, name);
        }
    }

    /// <summary>What settling <paramref name="visit"/> would pay now; changes nothing.</summary>
    public SettlementAmounts PreSettle(Visit visit)
    {
        lock (_gate)
        {
            var account = ActiveAccountOf(visit.CitizenId);
            return SettlementCalculator.Calculate(visit.FeeItems, visit.Hospital.Level, account);
        }
    }

    /// <summary>Settles exactly once per request id (a repeat returns the original response).</summary>
    public SettleResponse Settle(SettleRequest request) =>
        _settles.ExecuteOnce(_gate, request.RequestId, request, () =>
        {
            if (_closedRequestIds.Contains(request.RequestId))
            {
                throw SettlementErrors.RequestIdReversed();
            }

            var visit = request.Visit;
            var account = ActiveAccountOf(visit.CitizenId);
            var amounts = SettlementCalculator.Calculate(visit.FeeItems, visit.Hospital.Level, account);
            var now = _clock.UtcNow;
            var settlement = new Settlement
            {
                SettlementId = string.Create(CultureInfo.InvariantCulture, $"{_region}S{_settlements.Count + 1:D10}"),
                RequestId = request.RequestId,
                State = SettlementState.Settled,
                InsuredRegion = _region,
                TreatmentRegion = visit.TreatmentRegion,
                HospitalCode = visit.Hospital.Code,
                VisitId = visit.VisitId,
                PersonNumber = account.PersonNumber,
                Amounts = amounts,
                SettleTime = Timestamp.FromDateTimeOffset(now),
                SettlementDate = RegionClock.DateOf(now).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };

            _accounts[visit.CitizenId] = account.Debit(amounts);
            var recorded = new RecordedSettlement(visit.CitizenId, settlement);
            _settlements.Add(recorded);
            _bySettlementId.Add(settlement.SettlementId, recorded);
            _byRequestId.Add(settlement.RequestId, recorded);
            return new SettleResponse { Settlement = settlement.Clone() };
        });

    /// <summary>Cancels a settled settlement of the person named, restoring its balances; exactly once per request id.</summary>
    public CancelSettlementResponse Cancel(CancelSettlementRequest request) =>
        _cancels.ExecuteOnce(_gate, request.RequestId, request, () =>
        {
            if (!_bySettlementId.TryGetValue(request.SettlementId, out var recorded))
            {
                throw SettlementErrors.NoSuchSettlement(_region);
            }

            // The person is checked first, so a caller with the wrong ID learns nothing of the settlement's state.
            if (!string.Equals(recorded.CitizenId, request.CitizenId, StringComparison.Ordinal))
            {
                throw SettlementErrors.NotTheSettlementsPerson(recorded.Settlement.SettlementId);
            }

            if (recorded.Settlement.State != SettlementState.Settled)
            {
                throw SettlementErrors.AlreadyUndone(recorded.Settlement.SettlementId, recorded.Settlement.State);
            }

            Undo(recorded, SettlementState.Cancelled);
            return new CancelSettlementResponse { Settlement = recorded.Settlement.Clone() };
        });

    /// <summary>
    /// Reverses whatever the original request id settled; if it settled nothing, closes that id so a late arrival is
    /// refused. Exactly once per (reversal) request id.
    /// </summary>
    public ReverseSettlementResponse Reverse(ReverseSettlementRequest request) =>
        _reversals.ExecuteOnce(_gate, request.RequestId, request, () =>
        {
            if (!_byRequestId.TryGetValue(request.OriginalRequestId, out var recorded))
            {
                _closedRequestIds.Add(request.OriginalRequestId);
                return new ReverseSettlementResponse { Outcome = ReversalOutcome.NothingToReverse };
            }

            var outcome = ReversalOutcome.AlreadyUndone;
            if (recorded.Settlement.State == SettlementState.Settled)
            {
                Undo(recorded, SettlementState.Reversed);
                outcome = ReversalOutcome.Reversed;
            }

            return new ReverseSettlementResponse { Outcome = outcome, Settlement = recorded.Settlement.Clone() };
        });

    /// <summary>The settlement with that settlement id, or null.</summary>
    public Settlement? FindBySettlementId(string settlementId)
    {
        lock (_gate)
        {
            return _bySettlementId.TryGetValue(settlementId, out var recorded) ? recorded.Settlement.Clone() : null;
        }
    }

    /// <summary>The settlement made by that Settle request id, or null.</summary>
    public Settlement? FindByRequestId(string requestId)
    {
        lock (_gate)
        {
            return _byRequestId.TryGetValue(requestId, out var recorded) ? recorded.Settlement.Clone() : null;
        }
    }

    /// <summary>
    /// The settlements of one settlement day whose treatment region is inside <paramref name="treatmentRegion"/>, in
    /// every state, in settlement order: a snapshot, so a slow reader holds no lock.
    /// </summary>
    public IReadOnlyList<Settlement> SettlementsOn(string settlementDate, string treatmentRegion)
    {
        var prefix = RegionScope.PrefixOf(treatmentRegion);
        lock (_gate)
        {
            return _settlements
                .Select(r => r.Settlement)
                .Where(s => string.Equals(s.SettlementDate, settlementDate, StringComparison.Ordinal)
                    && s.TreatmentRegion.StartsWith(prefix, StringComparison.Ordinal))
                .Select(s => s.Clone())
                .ToArray();
        }
    }

    private InsuredAccount AccountOf(string citizenId) =>
        _accounts.TryGetValue(citizenId, out var account) ? account : throw SettlementErrors.NoInsuredPerson(_region);

    private InsuredAccount ActiveAccountOf(string citizenId)
    {
        var account = AccountOf(citizenId);
        return account.Status == InsuranceStatus.Active ? account : throw SettlementErrors.InsuranceSuspended(_region);
    }

    private void Undo(RecordedSettlement recorded, SettlementState state)
    {
        var settlement = recorded.Settlement;
        _accounts[recorded.CitizenId] = _accounts[recorded.CitizenId].Credit(settlement.Amounts);
        settlement.State = state;
        settlement.UndoTime = Timestamp.FromDateTimeOffset(_clock.UtcNow);
    }
}
