using System.Globalization;
using Exchange.Contracts.Descriptors;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.Validation;
using Exchange.Domain.Privacy;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Idempotency;
using Exchange.PartnerSim.Population;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Exchange.PartnerSim.SocialSecurity;

/// <summary>
/// The region's social-security cards and pensions as they change: card statuses move with loss reports, pensions
/// with eligibility certifications. One lock guards all of it, so that executing a request id and recording it are
/// one step. Error messages name region codes and statuses, never a person.
/// </summary>
/// <remarks>
/// Cards carry the simulator's own region code as issuing region; a request naming any code inside the region reaches
/// the same cards (a province issues its residents' cards, whatever their county).
/// </remarks>
internal sealed partial class SocialSecurityRegistry
{
    /// <summary>Most hashes in one CompareResidents message.</summary>
    public const int MaxHashesPerMessage = 1_000;

    /// <summary>Most hashes in one CompareResidents call (duplicates included).</summary>
    public const int MaxHashesPerCall = 100_000;


    private readonly object _gate = new();
    private readonly RegionClock _clock;
    private readonly string _regionCode;
    private readonly ILogger _logger;
    private readonly Dictionary<string, CardState> _cards;
    private readonly Dictionary<string, PensionState> _pensions;
    private readonly Dictionary<string, PensionState> _pensionsByHash;
    private readonly List<CertificationRecord> _certifications = [];
    private readonly RequestIdLedger<ReportCardLossRequest, ReportCardLossResponse> _lossReports = new();
    private readonly RequestIdLedger<LiftCardLossRequest, LiftCardLossResponse> _lifts = new();
    private readonly RequestIdLedger<SubmitEligibilityCertificationRequest, SubmitEligibilityCertificationResponse> _certificationRequests = new();

    public SocialSecurityRegistry(PartnerRegionOptions options, RegionClock clock, RegionPopulation population, ILogger<SocialSecurityRegistry> logger)
    {
        _clock = clock;
        _regionCode = options.RegionCode;
        _logger = logger;
        _cards = population.Cards.ToDictionary(
            c => c.CitizenId,
            c => new CardState(c, population.ResidentsById[c.CitizenId].Name),
            StringComparer.Ordinal);
        _pensions = population.Pensions.ToDictionary(p => p.CitizenId, p => new PensionState(p), StringComparer.Ordinal);
        // Hashed once at start: a comparison then costs one look-up per hash sent, and no ID is hashed per call.
        _pensionsByHash = _pensions.Values.ToDictionary(
            p => KeyedHash.ComputeHex(options.ComparisonKey.Span, p.CitizenId), StringComparer.Ordinal);
    }

    /// <summary>Number of eligibility certifications received since start.</summary>
    public int CertificationCount
    {
        get
        {
            lock (_gate)
            {
                return _certifications.Count;
            }
        }
    }

    /// <summary>The holder's current card; NOT_FOUND when there is none or <paramref name="cardNumber"/> is set and not theirs.</summary>
    public VerifyCardResponse Verify(string citizenId, string cardNumber, string requestedRegion)
    {
        lock (_gate)
        {
            var card = FindCard(citizenId, cardNumber, requestedRegion);
            return new VerifyCardResponse { Card = card.ToProto(_regionCode), Valid = IsValid(card) };
        }
    }

    /// <summary>What the holder's card entitles to; empty unless the card is valid (normal and unexpired).</summary>
    public ListCardEntitlementsResponse Entitlements(string citizenId, EntitlementCategory category, string requestedRegion)
    {
        lock (_gate)
        {
            var card = FindCard(citizenId, cardNumber: "", requestedRegion);
            var response = new ListCardEntitlementsResponse { CardStatus = card.Status };
            if (IsValid(card))
            {
                response.Entitlements.Add(EntitlementCatalogue.In(category).Select(p => p.ToProto()));
            }

            return response;
        }
    }

    /// <summary>Puts the card under a verbal or written loss report, once per request id.</summary>
    public ReportCardLossResponse ReportLoss(ReportCardLossRequest request) =>
        _lossReports.ExecuteOnce(_gate, request.RequestId, request, () =>
        {
            var card = FindCard(request.CitizenId, request.CardNumber, request.IssuingRegion);
            var (target, allowedFrom) = request.Kind switch
            {
                LossReportKind.Verbal => (CardStatus.VerbalLossReported, new[] { CardStatus.Normal, CardStatus.Frozen }),
                LossReportKind.Written => (CardStatus.WrittenLossReported, new[] { CardStatus.Normal, CardStatus.Frozen, CardStatus.VerbalLossReported }),
                _ => throw InvalidArgument.For("kind", "must be LOSS_REPORT_KIND_VERBAL or LOSS_REPORT_KIND_WRITTEN"),
            };
            if (!allowedFrom.Contains(card.Status))
            {
                throw FailedPrecondition(
                    $"the card is {ProtoEnumNames.Of(card.Status)}; a {(request.Kind == LossReportKind.Verbal ? "verbal" : "written")} loss report "
                    + $"needs a card that is {string.Join(" or ", allowedFrom.Select(ProtoEnumNames.Of))}");
            }

            var now = _clock.UtcNow;
            LogCardStatusChanged(_logger, _regionCode, card.Status, target);
            card.Status = target;
            return new ReportCardLossResponse { Card = card.ToProto(_regionCode), EffectiveTime = Timestamp.FromDateTimeOffset(now) };
        });

    /// <summary>Lifts a verbal loss report (the card is NORMAL again), once per request id.</summary>
    public LiftCardLossResponse LiftLoss(LiftCardLossRequest request) =>
        _lifts.ExecuteOnce(_gate, request.RequestId, request, () =>
        {
            var card = FindCard(request.CitizenId, request.CardNumber, request.IssuingRegion);
            if (card.Status != CardStatus.VerbalLossReported)
            {
                throw FailedPrecondition(card.Status == CardStatus.WrittenLossReported
                    ? "written loss reports cannot be lifted; a new card must be issued"
                    : $"the card is {ProtoEnumNames.Of(card.Status)}; only a card under a verbal loss report ({ProtoEnumNames.Of(CardStatus.VerbalLossReported)}) can have it lifted");
            }

            var now = _clock.UtcNow;
            LogCardStatusChanged(_logger, _regionCode, card.Status, CardStatus.Normal);
            card.Status = CardStatus.Normal;
            return new LiftCardLossResponse { Card = card.ToProto(_regionCode), EffectiveTime = Timestamp.FromDateTimeOffset(now) };
        });

    /// <summary>
    /// Records an eligibility certification made where the pensioner lives, once per request id. The pension is
    /// ACTIVE afterwards, unless the certification is itself more than a year old (then it is already due again).
    /// </summary>
    public SubmitEligibilityCertificationResponse Certify(SubmitEligibilityCertificationRequest request) =>
        _certificationRequests.ExecuteOnce(_gate, request.RequestId, request, () =>
        {
            var today = _clock.Today;
            var date = ParseDate(request.CertificationDate);
            if (date > today)
            {
                throw InvalidArgument.For("certification_date", "must not be in the future");
            }

            if (!_pensions.TryGetValue(request.CitizenId, out var pension))
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"no pensioner matches in region {request.PensionRegion}"));
            }

            if (pension.Status == BenefitStatus.Ended)
            {
                throw FailedPrecondition("the pension has ended (the pensioner is deceased); there is nothing to certify");
            }

            if (date < pension.LastCertificationDate)
            {
                throw InvalidArgument.For("certification_date", "must not be before the pension's last certification");
            }

            var nextDue = date.AddYears(1);
            pension.LastCertificationDate = date;
            pension.Status = nextDue > today ? BenefitStatus.Active : BenefitStatus.CertificationDue;
            var certificationId = string.Create(CultureInfo.InvariantCulture, $"{_regionCode}C{_certifications.Count + 1:D8}");
            _certifications.Add(new CertificationRecord(certificationId, request.CitizenId, request.ResidenceRegion, request.Method, date));
            LogPensionCertified(_logger, _regionCode, certificationId, request.ResidenceRegion);
            return new SubmitEligibilityCertificationResponse
            {
                CertificationId = certificationId,
                BenefitStatus = pension.Status,
                NextDueDate = FormatDate(nextDue),
            };
        });

    /// <summary>The pensioners among <paramref name="distinctHashes"/> (keyed hashes, each once), in the order given.</summary>
    public CompareResidentsResponse Compare(IReadOnlyList<string> distinctHashes)
    {
        var response = new CompareResidentsResponse { ComparedCount = distinctHashes.Count };
        lock (_gate)
        {
            foreach (var hash in distinctHashes)
            {
                if (_pensionsByHash.TryGetValue(hash, out var pension))
                {
                    response.Matches.Add(new ResidentMatch
                    {
                        SubjectHash = hash,
                        BenefitStatus = pension.Status,
                        LastCertificationDate = FormatDate(pension.LastCertificationDate),
                    });
                }
            }
        }

        return response;
    }

    private static RpcException FailedPrecondition(string detail) => new(new Status(StatusCode.FailedPrecondition, detail));

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private bool IsValid(CardState card) => card.Status == CardStatus.Normal && card.Seed.ExpiryDate >= _clock.Today;

    private CardState FindCard(string citizenId, string cardNumber, string requestedRegion)
    {
        if (!_cards.TryGetValue(citizenId, out var card) || (cardNumber.Length > 0 && !string.Equals(card.Seed.CardNumber, cardNumber, StringComparison.Ordinal)))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"no card matches in region {requestedRegion}"));
        }

        return card;
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Card status changed in region {RegionCode}: {From} -> {To}")]
    private static partial void LogCardStatusChanged(ILogger logger, string regionCode, CardStatus from, CardStatus to);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Eligibility certification {CertificationId} recorded in region {RegionCode} (certified in {ResidenceRegion})")]
    private static partial void LogPensionCertified(ILogger logger, string regionCode, string certificationId, string residenceRegion);

    private sealed class CardState(SeededCard seed, string holderName)
    {
        public SeededCard Seed { get; } = seed;

        public CardStatus Status { get; set; } = seed.Status;

        public Card ToProto(string issuingRegion) => new()
        {
            CardNumber = Seed.CardNumber,
            CardIdentificationCode = Seed.CardIdentificationCode,
            Status = Status,
            Generation = Seed.Generation,
            IssuingRegion = issuingRegion,
            IssueDate = FormatDate(Seed.IssueDate),
            ExpiryDate = FormatDate(Seed.ExpiryDate),
            SpecVersion = Seed.Generation == CardGeneration.Third ? "3.00" : "2.00",
            Temporary = Seed.Temporary,
            HolderName = holderName,
        };
    }

    private sealed class PensionState(SeededPension seed)
    {
        public string CitizenId { get; } = seed.CitizenId;

        public BenefitStatus Status { get; set; } = seed.Status;

        public DateOnly LastCertificationDate { get; set; } = seed.LastCertificationDate;
    }

    private sealed record CertificationRecord(string CertificationId, string CitizenId, string ResidenceRegion, CertificationMethod Method, DateOnly Date);
}
