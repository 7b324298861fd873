using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Population;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;

namespace Exchange.PartnerSim.Tests.SocialSecurity;

public sealed class CardLossTests(CardRegionFixture fixture) : IClassFixture<CardRegionFixture>
{
    private SocialSecurityCardService.SocialSecurityCardServiceClient Client => fixture.Client;

    [Fact]
    public async Task ReportCardLoss_VerbalThenLift_ReturnsCardToNormal()
    {
        var card = fixture.TakeValidCard();

        var reported = await Client.ReportCardLossAsync(Report(card, LossReportKind.Verbal));
        Assert.Equal(CardStatus.VerbalLossReported, reported.Card.Status);
        Assert.Equal(card.CardNumber, reported.Card.CardNumber);
        Assert.NotNull(reported.EffectiveTime);
        Assert.False((await Client.VerifyCardAsync(VerifyCardTests.Request(card.CitizenId))).Valid);

        var lifted = await Client.LiftCardLossAsync(Lift(card));

        Assert.Equal(CardStatus.Normal, lifted.Card.Status);
        Assert.NotNull(lifted.EffectiveTime);
        var verified = await Client.VerifyCardAsync(VerifyCardTests.Request(card.CitizenId));
        Assert.Equal(CardStatus.Normal, verified.Card.Status);
        Assert.True(verified.Valid);
    }

    [Fact]
    public async Task ReportCardLoss_Written_IsFinal()
    {
        var card = fixture.TakeValidCard();

        var reported = await Client.ReportCardLossAsync(Report(card, LossReportKind.Written));

        Assert.Equal(CardStatus.WrittenLossReported, reported.Card.Status);
        var entitlements = await Client.ListCardEntitlementsAsync(new ListCardEntitlementsRequest
        {
            IssuingRegion = "310000", CitizenId = card.CitizenId, Purpose = PurposeOfUse.PublicServiceAccess,
        });
        Assert.Equal(CardStatus.WrittenLossReported, entitlements.CardStatus);
        Assert.Empty(entitlements.Entitlements);
    }

    [Fact]
    public async Task LiftCardLoss_WrittenReport_FailsPrecondition()
    {
        var card = fixture.TakeValidCard();
        await Client.ReportCardLossAsync(Report(card, LossReportKind.Written));

        var error = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Client.LiftCardLossAsync(Lift(card)).ResponseAsync);

        Assert.Equal("written loss reports cannot be lifted; a new card must be issued", error.Status.Detail);
        Assert.Equal(CardStatus.WrittenLossReported, (await Client.VerifyCardAsync(VerifyCardTests.Request(card.CitizenId))).Card.Status);
    }

    [Fact]
    public async Task ReportCardLoss_WrittenAfterVerbal_IsAllowed()
    {
        var card = fixture.TakeValidCard();
        await Client.ReportCardLossAsync(Report(card, LossReportKind.Verbal));

        var written = await Client.ReportCardLossAsync(Report(card, LossReportKind.Written));

        Assert.Equal(CardStatus.WrittenLossReported, written.Card.Status);
    }

    [Theory]
    [InlineData(LossReportKind.Verbal)]
    [InlineData(LossReportKind.Written)]
    public async Task ReportCardLoss_FrozenCard_IsAllowed(LossReportKind kind)
    {
        var card = fixture.TakeCard(c => c.Status == CardStatus.Frozen);

        var reported = await Client.ReportCardLossAsync(Report(card, kind));

        Assert.Equal(kind == LossReportKind.Verbal ? CardStatus.VerbalLossReported : CardStatus.WrittenLossReported, reported.Card.Status);
    }

    [Theory]
    [InlineData(LossReportKind.Verbal, CardStatus.NotActivated)]
    [InlineData(LossReportKind.Verbal, CardStatus.VerbalLossReported)]
    [InlineData(LossReportKind.Verbal, CardStatus.WrittenLossReported)]
    [InlineData(LossReportKind.Verbal, CardStatus.Cancelled)]
    [InlineData(LossReportKind.Written, CardStatus.NotActivated)]
    [InlineData(LossReportKind.Written, CardStatus.WrittenLossReported)]
    [InlineData(LossReportKind.Written, CardStatus.Cancelled)]
    public async Task ReportCardLoss_CardInDisallowedStatus_FailsPreconditionNamingTheStatus(LossReportKind kind, CardStatus status)
    {
        var card = fixture.ReservedCard(status);

        var error = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Client.ReportCardLossAsync(Report(card, kind)).ResponseAsync);

        Assert.StartsWith($"the card is {ProtoName(status)};", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(status, (await Client.VerifyCardAsync(VerifyCardTests.Request(card.CitizenId))).Card.Status);
    }

    [Theory]
    [InlineData(CardStatus.Normal)]
    [InlineData(CardStatus.NotActivated)]
    [InlineData(CardStatus.Frozen)]
    [InlineData(CardStatus.Cancelled)]
    public async Task LiftCardLoss_CardNotUnderVerbalReport_FailsPrecondition(CardStatus status)
    {
        var card = fixture.ReservedCard(status);

        var error = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Client.LiftCardLossAsync(Lift(card)).ResponseAsync);

        Assert.StartsWith($"the card is {ProtoName(status)};", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportCardLoss_DuplicateRequestId_ReturnsOriginalAndChangesNothing()
    {
        var card = fixture.TakeValidCard();
        var report = Report(card, LossReportKind.Verbal);
        var original = await Client.ReportCardLossAsync(report);
        await Client.LiftCardLossAsync(Lift(card));

        var repeat = await Client.ReportCardLossAsync(report.Clone());

        Assert.Equal(original, repeat);
        Assert.Equal(CardStatus.Normal, (await Client.VerifyCardAsync(VerifyCardTests.Request(card.CitizenId))).Card.Status);
    }

    [Fact]
    public async Task LiftCardLoss_DuplicateRequestId_ReturnsOriginalAndChangesNothing()
    {
        var card = fixture.TakeValidCard();
        await Client.ReportCardLossAsync(Report(card, LossReportKind.Verbal));
        var lift = Lift(card);
        var original = await Client.LiftCardLossAsync(lift);
        await Client.ReportCardLossAsync(Report(card, LossReportKind.Verbal));

        var repeat = await Client.LiftCardLossAsync(lift.Clone());

        Assert.Equal(original, repeat);
        Assert.Equal(CardStatus.VerbalLossReported, (await Client.VerifyCardAsync(VerifyCardTests.Request(card.CitizenId))).Card.Status);
    }

    [Fact]
    public async Task ReportCardLoss_RequestIdReusedForDifferentRequest_IsAlreadyExistsAndChangesNothing()
    {
        var card = fixture.TakeValidCard();
        var verbal = Report(card, LossReportKind.Verbal);
        await Client.ReportCardLossAsync(verbal);
        var written = Report(card, LossReportKind.Written);
        written.RequestId = verbal.RequestId;

        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => Client.ReportCardLossAsync(written).ResponseAsync);

        Assert.Equal(CardStatus.VerbalLossReported, (await Client.VerifyCardAsync(VerifyCardTests.Request(card.CitizenId))).Card.Status);
    }

    [Fact]
    public async Task LiftCardLoss_RequestIdReusedForDifferentCard_IsAlreadyExists()
    {
        var first = fixture.TakeValidCard();
        var second = fixture.TakeValidCard();
        await Client.ReportCardLossAsync(Report(first, LossReportKind.Verbal));
        await Client.ReportCardLossAsync(Report(second, LossReportKind.Verbal));
        var lift = Lift(first);
        await Client.LiftCardLossAsync(lift);
        var other = Lift(second);
        other.RequestId = lift.RequestId;

        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => Client.LiftCardLossAsync(other).ResponseAsync);

        Assert.Equal(CardStatus.VerbalLossReported, (await Client.VerifyCardAsync(VerifyCardTests.Request(second.CitizenId))).Card.Status);
    }

    [Fact]
    public async Task ReportCardLoss_CardNumberNotTheHolders_IsNotFoundAndChangesNothing()
    {
        var holder = fixture.ReservedCard(CardStatus.Normal);
        var other = fixture.ReservedCardsForReading.First(c => c.CardNumber != holder.CardNumber);
        var request = Report(holder, LossReportKind.Verbal);
        request.CardNumber = other.CardNumber;

        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.ReportCardLossAsync(request).ResponseAsync);

        Assert.DoesNotContain(holder.CitizenId, error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(CardStatus.Normal, (await Client.VerifyCardAsync(VerifyCardTests.Request(holder.CitizenId))).Card.Status);
    }

    [Fact]
    public async Task LiftCardLoss_PersonWithoutCardHere_IsNotFound()
    {
        var request = new LiftCardLossRequest
        {
            RequestId = NewRequestId(), IssuingRegion = "310000", CitizenId = VerifyCardTests.StrangerId, CardNumber = "A12345678",
            Purpose = PurposeOfUse.SocialInsurance,
        };

        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.LiftCardLossAsync(request).ResponseAsync);

        Assert.DoesNotContain(VerifyCardTests.StrangerId, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportCardLoss_RegionNotServed_IsNotFound()
    {
        var request = Report(fixture.ReservedCard(CardStatus.Normal), LossReportKind.Verbal);
        request.IssuingRegion = "341021";

        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Client.ReportCardLossAsync(request).ResponseAsync);

        Assert.Contains("341021", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", LossReportKind.Verbal, "request_id")]
    [InlineData("short", LossReportKind.Verbal, "request_id")]
    [InlineData("has space in it", LossReportKind.Verbal, "request_id")]
    [InlineData("request-0001", LossReportKind.Unspecified, "kind")]
    public async Task ReportCardLoss_MalformedRequest_IsInvalidArgumentNamingTheField(string requestId, LossReportKind kind, string field)
    {
        var request = Report(fixture.ReservedCard(CardStatus.Normal), kind);
        request.RequestId = requestId;

        await RpcAssert.FailsWithFieldViolations(() => Client.ReportCardLossAsync(request).ResponseAsync, field);
    }

    [Fact]
    public async Task LiftCardLoss_MissingCardNumberAndMalformedId_NamesBothFields()
    {
        var request = new LiftCardLossRequest
        {
            RequestId = NewRequestId(), IssuingRegion = "310000", CitizenId = "110105194912310021", Purpose = PurposeOfUse.SocialInsurance,
        };

        await RpcAssert.FailsWithFieldViolations(() => Client.LiftCardLossAsync(request).ResponseAsync, "citizen_id", "card_number");
    }

    internal static string NewRequestId() => "req-" + Guid.NewGuid().ToString("N");

    private static string ProtoName(CardStatus status) => status switch
    {
        CardStatus.NotActivated => "CARD_STATUS_NOT_ACTIVATED",
        CardStatus.Normal => "CARD_STATUS_NORMAL",
        CardStatus.VerbalLossReported => "CARD_STATUS_VERBAL_LOSS_REPORTED",
        CardStatus.WrittenLossReported => "CARD_STATUS_WRITTEN_LOSS_REPORTED",
        CardStatus.Frozen => "CARD_STATUS_FROZEN",
        CardStatus.Cancelled => "CARD_STATUS_CANCELLED",
        _ => "CARD_STATUS_UNSPECIFIED",
    };

    private static ReportCardLossRequest Report(SeededCard card, LossReportKind kind) => new()
    {
        RequestId = NewRequestId(),
        IssuingRegion = "310000",
        CitizenId = card.CitizenId,
        CardNumber = card.CardNumber,
        Kind = kind,
        Purpose = PurposeOfUse.SocialInsurance,
    };

    private static LiftCardLossRequest Lift(SeededCard card) => new()
    {
        RequestId = NewRequestId(),
        IssuingRegion = "310000",
        CitizenId = card.CitizenId,
        CardNumber = card.CardNumber,
        Purpose = PurposeOfUse.SocialInsurance,
    };
}
