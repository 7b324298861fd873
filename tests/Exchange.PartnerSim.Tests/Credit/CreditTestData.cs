using System.Globalization;
using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Identifiers;
using Exchange.PartnerSim.Population;
using Google.Protobuf.WellKnownTypes;

namespace Exchange.PartnerSim.Tests.Credit;

/// <summary>Requests and expected records shared by the credit tests.</summary>
internal static class CreditTestData
{
    /// <summary>A valid code with a wrong check character (the valid one ends in T).</summary>
    public const string CreditCodeWithWrongCheck = "91310110666007217U";

    /// <summary>A citizen ID with a wrong check character.</summary>
    public const string CitizenIdWithWrongCheck = "110105194912310021";

    /// <summary>A valid credit code registered in Xiamen: nobody in Shanghai has records under it.</summary>
    public const string StrangerCreditCode = "91350200776049653A";

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string NewRequestId() => "req-" + Guid.NewGuid().ToString("N");

    /// <summary>A valid credit code of a Pudong organisation that is not in the population; distinct per <paramref name="n"/>.</summary>
    public static string NewCreditCode(int n) =>
        UnifiedSocialCreditCode.Create('9', '1', "310115", string.Create(CultureInfo.InvariantCulture, $"QA{n:D6}")).Value;

    public static Subject Organisation(string creditCode) => new() { CreditCode = creditCode };

    /// <summary>The record a seeded one should be served as.</summary>
    public static CreditRecord Expected(string recordId, SeededCreditRecord seeded, RecordState state) => new()
    {
        RecordId = recordId,
        OriginRegion = "310000",
        Subject = seeded.SubjectCitizenId is { } id ? new Subject { CitizenId = id } : new Subject { CreditCode = seeded.SubjectCreditCode },
        SubjectName = seeded.SubjectName,
        Kind = seeded.Kind,
        Authority = seeded.Authority,
        DecisionNumber = seeded.DecisionNumber,
        DecisionDate = Date(seeded.DecisionDate),
        Violation = seeded.Violation,
        PenaltyType = seeded.PenaltyType,
        PenaltyAmount = seeded.PenaltyAmountFen > 0 ? new Money { Fen = seeded.PenaltyAmountFen } : null,
        PublicationStartDate = Date(seeded.PublicationStart),
        PublicationEndDate = Date(seeded.PublicationEnd),
        State = state,
        UpdateTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(seeded.PublicationStart.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8))),
    };

    /// <summary>A valid fine decided <paramref name="decided"/>, published from the decision for a year.</summary>
    public static CreditRecord Fine(Subject subject, DateOnly decided, string? decisionNumber = null) => new()
    {
        Subject = subject,
        SubjectName = "上海测试食品有限公司",
        Kind = RecordKind.AdministrativePenalty,
        Authority = "上海市浦东新区市场监督管理局",
        DecisionNumber = decisionNumber ?? $"沪浦市监处〔{decided.Year}〕{Guid.NewGuid():N}号",
        DecisionDate = Date(decided),
        Violation = "销售过期食品",
        PenaltyType = PenaltyType.Fine,
        PenaltyAmount = new Money { Fen = 5_000_000 },
        PublicationStartDate = Date(decided),
        PublicationEndDate = Date(decided.AddYears(1)),
    };

    public static PublishCreditRecordRequest Publish(CreditRecord record, string region = "310000") => new()
    {
        RequestId = NewRequestId(),
        OriginRegion = region,
        Record = record,
        Purpose = PurposeOfUse.CreditSupervision,
    };

    public static ListCreditRecordsRequest List(Subject subject, bool includeUnpublished = false) => new()
    {
        Subject = subject,
        IncludeUnpublished = includeUnpublished,
        Purpose = PurposeOfUse.CreditSupervision,
    };

    public static RepairCreditRequest Repair(string recordId, DateOnly date) => new()
    {
        RequestId = NewRequestId(),
        OriginRegion = "310000",
        RecordId = recordId,
        RepairDecisionNumber = $"沪信修〔{date.Year}〕{Guid.NewGuid():N}号",
        RepairDate = Date(date),
        Purpose = PurposeOfUse.CreditSupervision,
    };

    public static GetCreditRecordRequest Get(string recordId, string region = "310000") => new()
    {
        OriginRegion = region,
        RecordId = recordId,
        Purpose = PurposeOfUse.CreditSupervision,
    };
}
