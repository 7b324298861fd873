using System.Globalization;
using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.Descriptors;
using Exchange.Contracts.V1;
using Exchange.Contracts.Validation;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Idempotency;
using Exchange.PartnerSim.Population;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Exchange.PartnerSim.Credit;

/// <summary>
/// The credit records the region's authorities published, seeded from its population and changed by publication and
/// credit repair. One lock guards all of it, so that executing a request id and recording it are one step.
/// </summary>
/// <remarks>
/// A record's state is derived from its publication period and today's date (UTC+8), so it moves as time passes:
/// REPAIRED once repaired; otherwise EXPIRED after its last day; PUBLISHED from its first day to its last; PENDING
/// before its first day (published ahead): listed only with include_unpublished, and cannot be repaired.
/// </remarks>
internal sealed partial class CreditRegistry
{
    /// <summary>Most records one region lists for a subject.</summary>
    public const int MaxListed = 1_000;

    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    private readonly object _gate = new();
    private readonly RegionClock _clock;
    private readonly string _regionCode;
    private readonly ILogger _logger;
    private readonly Dictionary<string, RecordEntry> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Authority, string DecisionNumber), string> _decisions = [];
    private readonly RequestIdLedger<PublishCreditRecordRequest, PublishCreditRecordResponse> _publications = new();
    private readonly RequestIdLedger<RepairCreditRequest, RepairCreditResponse> _repairs = new();
    private int _sequence;

    public CreditRegistry(PartnerRegionOptions options, RegionClock clock, RegionPopulation population, ILogger<CreditRegistry> logger)
    {
        _clock = clock;
        _regionCode = options.RegionCode;
        _logger = logger;
        foreach (var seeded in population.CreditRecords)
        {
            var record = new CreditRecord
            {
                Subject = seeded.SubjectCitizenId is { } citizenId ? new Subject { CitizenId = citizenId } : new Subject { CreditCode = seeded.SubjectCreditCode },
                SubjectName = seeded.SubjectName,
                Kind = seeded.Kind,
                Authority = seeded.Authority,
                DecisionNumber = seeded.DecisionNumber,
                DecisionDate = FormatDate(seeded.DecisionDate),
                Violation = seeded.Violation,
                PenaltyType = seeded.PenaltyType,
                PenaltyAmount = seeded.PenaltyAmountFen > 0 ? new Money { Fen = seeded.PenaltyAmountFen } : null,
                PublicationStartDate = FormatDate(seeded.PublicationStart),
                PublicationEndDate = FormatDate(seeded.PublicationEnd),
                // Seeded records were last changed when their publication began.
                UpdateTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(seeded.PublicationStart.ToDateTime(TimeOnly.MinValue), ChinaStandardTime)),
            };
            Add(record);
        }
    }

    /// <summary>A subject's records, newest decision first; only those in their publication period unless <paramref name="includeUnpublished"/>.</summary>
    public ListCreditRecordsResponse List(Subject subject, bool includeUnpublished)
    {
        var response = new ListCreditRecordsResponse();
        lock (_gate)
        {
            var today = _clock.Today;
            response.Records.Add(_records.Values
                .Where(e => e.Record.Subject.Equals(subject))
                .Select(e => (Entry: e, State: StateOf(e, today)))
                .Where(x => includeUnpublished || x.State == RecordState.Published)
                .OrderByDescending(x => x.Entry.DecisionDate)
                .ThenByDescending(x => x.Entry.Sequence)
                .Take(MaxListed)
                .Select(x => x.Entry.ToProto(x.State)));
        }

        response.RegionStatuses.Add(new RegionStatus
        {
            RegionCode = _regionCode,
            Outcome = RegionOutcome.Answered,
            ResultCount = response.Records.Count,
        });
        return response;
    }

    /// <summary>One record; NOT_FOUND when this region has none with that id.</summary>
    public CreditRecord Get(string recordId)
    {
        lock (_gate)
        {
            var entry = Find(recordId);
            return entry.ToProto(StateOf(entry, _clock.Today));
        }
    }

    /// <summary>Publishes a record after checking the business rules, once per request id.</summary>
    public PublishCreditRecordResponse Publish(PublishCreditRecordRequest request) =>
        _publications.ExecuteOnce(_gate, request.RequestId, request, () =>
        {
            CheckPublishable(request.Record, request.OriginRegion, _clock.Today);
            var key = (request.Record.Authority, request.Record.DecisionNumber);
            if (_decisions.TryGetValue(key, out var existing))
            {
                throw new RpcException(new Grpc.Core.Status(
                    StatusCode.AlreadyExists,
                    $"record {existing} already has this authority and decision number; a decision is published once"));
            }

            var record = request.Record.Clone();
            record.RecordId = "";
            record.State = RecordState.Unspecified;
            record.UpdateTime = Timestamp.FromDateTimeOffset(_clock.UtcNow);
            var entry = Add(record);
            LogRecordPublished(_logger, _regionCode, entry.Record.RecordId);
            return new PublishCreditRecordResponse { Record = entry.ToProto(StateOf(entry, _clock.Today)) };
        });

    /// <summary>Ends a published record's publication on the repair date (credit repair), once per request id.</summary>
    public RepairCreditResponse Repair(RepairCreditRequest request) =>
        _repairs.ExecuteOnce(_gate, request.RequestId, request, () =>
        {
            var today = _clock.Today;
            var repairDate = ParseDate(request.RepairDate);
            if (repairDate > today)
            {
                throw InvalidArgument.For("repair_date", "must not be in the future");
            }

            var entry = Find(request.RecordId);
            var state = StateOf(entry, today);
            if (state != RecordState.Published)
            {
                throw new RpcException(new Grpc.Core.Status(
                    StatusCode.FailedPrecondition,
                    $"record {entry.Record.RecordId} is {ProtoEnumNames.Of(state)}; only a record in its publication period (RECORD_STATE_PUBLISHED) can be repaired"));
            }

            if (repairDate < entry.PublicationStart)
            {
                throw InvalidArgument.For("repair_date", "must not be before the record's publication_start_date");
            }

            entry.Repair(repairDate, request.RepairDecisionNumber, _clock.UtcNow);
            LogRecordRepaired(_logger, _regionCode, entry.Record.RecordId);
            return new RepairCreditResponse { Record = entry.ToProto(StateOf(entry, today)) };
        });

    private static RecordState StateOf(RecordEntry entry, DateOnly today) =>
        entry.Repaired ? RecordState.Repaired
        : entry.PublicationEnd < today ? RecordState.Expired
        : entry.PublicationStart > today ? RecordState.Pending
        : RecordState.Published;

    /// <summary>Every business rule a record to publish breaks, in one INVALID_ARGUMENT (the annotations are already checked).</summary>
    private static void CheckPublishable(CreditRecord record, string originRegion, DateOnly today)
    {
        var violations = new List<BadRequest.Types.FieldViolation>();
        void Violation(string field, string description) => violations.Add(new() { Field = "record." + field, Description = description });

        if (record.Subject is null || record.Subject.IdentifierCase == Subject.IdentifierOneofCase.None)
        {
            Violation("subject", "must name a citizen_id or a credit_code");
        }

        foreach (var (field, value) in new[]
        {
            ("subject_name", record.SubjectName), ("authority", record.Authority), ("decision_number", record.DecisionNumber),
            ("decision_date", record.DecisionDate), ("publication_start_date", record.PublicationStartDate), ("publication_end_date", record.PublicationEndDate),
        })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Violation(field, "must be set");
            }
        }

        if (record.Kind == RecordKind.Unspecified)
        {
            Violation("kind", "must be set");
        }
        else if (!System.Enum.IsDefined(record.Kind))
        {
            Violation("kind", "is not a known record kind");
        }

        if (record.OriginRegion.Length > 0 && !string.Equals(record.OriginRegion, originRegion, StringComparison.Ordinal))
        {
            Violation("origin_region", "must be empty or equal to the request's origin_region");
        }

        if (record.PenaltyType != PenaltyType.Unspecified && record.Kind != RecordKind.AdministrativePenalty)
        {
            Violation("penalty_type", "must be unset unless kind is RECORD_KIND_ADMINISTRATIVE_PENALTY");
        }

        if (record.PenaltyAmount is { Fen: > 0 } && record.PenaltyType != PenaltyType.Fine)
        {
            Violation("penalty_amount", "must be unset unless penalty_type is PENALTY_TYPE_FINE");
        }

        // The annotations have already checked the date formats; empty ones were reported above.
        var decision = TryParseDate(record.DecisionDate);
        var start = TryParseDate(record.PublicationStartDate);
        var end = TryParseDate(record.PublicationEndDate);
        if (decision > today)
        {
            Violation("decision_date", "must not be in the future");
        }

        if (start is not null && decision is not null && start < decision)
        {
            Violation("publication_start_date", "must not be before decision_date");
        }

        if (start is not null && end is not null && end < start)
        {
            Violation("publication_end_date", "must not be before publication_start_date");
        }

        if (violations.Count > 0)
        {
            throw InvalidArgument.For(violations);
        }
    }

    private static DateOnly? TryParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private RecordEntry Add(CreditRecord record)
    {
        var sequence = ++_sequence;
        record.RecordId = string.Create(CultureInfo.InvariantCulture, $"{_regionCode}-{sequence:D7}");
        record.OriginRegion = _regionCode;
        var entry = new RecordEntry(record, sequence);
        _records.Add(record.RecordId, entry);
        _decisions.Add((record.Authority, record.DecisionNumber), record.RecordId);
        return entry;
    }

    private RecordEntry Find(string recordId) =>
        _records.TryGetValue(recordId, out var entry)
            ? entry
            : throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, $"no credit record {recordId} in region {_regionCode}"));

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Credit record {RecordId} published in region {RegionCode}")]
    private static partial void LogRecordPublished(ILogger logger, string regionCode, string recordId);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Credit record {RecordId} repaired in region {RegionCode}")]
    private static partial void LogRecordRepaired(ILogger logger, string regionCode, string recordId);

    /// <summary>A record as held: the contract message without its state (derived on read), and the parsed dates.</summary>
    private sealed class RecordEntry(CreditRecord record, int sequence)
    {
        public CreditRecord Record { get; } = record;

        public int Sequence { get; } = sequence;

        public DateOnly DecisionDate { get; } = ParseDate(record.DecisionDate);

        public DateOnly PublicationStart { get; } = ParseDate(record.PublicationStartDate);

        public DateOnly PublicationEnd { get; private set; } = ParseDate(record.PublicationEndDate);

        public bool Repaired { get; private set; }

        /// <summary>The repair decision's document number, kept for the record's history (the contract does not return it).</summary>
        public string? RepairDecisionNumber { get; private set; }

        public void Repair(DateOnly repairDate, string repairDecisionNumber, DateTimeOffset now)
        {
            Repaired = true;
            RepairDecisionNumber = repairDecisionNumber;
            PublicationEnd = repairDate;
            Record.PublicationEndDate = FormatDate(repairDate);
            Record.UpdateTime = Timestamp.FromDateTimeOffset(now);
        }

        public CreditRecord ToProto(RecordState state)
        {
            var copy = Record.Clone();
            copy.State = state;
            return copy;
        }
    }
}
