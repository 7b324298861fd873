using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.Descriptors;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Contracts;
using Exchange.Gateway.Security;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Exchange.Gateway.Tests.Security;

public sealed class ResponseMinimiserTests
{
    [Fact]
    public void Clear_NestedAndRepeatedMoney_ClearsSensitiveFieldsAtEveryDepthAndKeepsTheRest()
    {
        var response = new PreSettleResponse
        {
            Amounts = new SettlementAmounts
            {
                Total = Fen(10_000), Eligible = Fen(9_000), DeductibleApplied = Fen(1_000), FundPayment = Fen(6_400),
                PersonalPayment = Fen(3_600), AccountPayment = Fen(3_000), CashPayment = Fen(600), AccountBalanceAfter = Fen(0),
                FundPayments =
                {
                    new FundPayment { FundType = FundType.BasicPooled, Amount = Fen(6_000) },
                    new FundPayment { FundType = FundType.BasicPooled, Amount = Fen(400) },
                },
            },
        };

        ResponseMinimiser.Clear(response, Sensitivity.Personal);

        var expected = new PreSettleResponse
        {
            Amounts = new SettlementAmounts
            {
                FundPayments = { new FundPayment { FundType = FundType.BasicPooled }, new FundPayment { FundType = FundType.BasicPooled } },
            },
        };
        Assert.Equal(expected, response);
    }

    [Fact]
    public void Clear_RepeatedRecordsForPublicClearance_ClearsNamesAndCitizenIdsButKeepsCreditCodes()
    {
        var response = new ListCreditRecordsResponse
        {
            Records =
            {
                Record("310000-0000001", new Subject { CitizenId = "110101199003077578" }, "张三"),
                Record("310000-0000002", new Subject { CreditCode = "91310110666007217T" }, "上海某某食品有限公司"),
            },
            RegionStatuses = { new RegionStatus { RegionCode = "310000", Outcome = RegionOutcome.Answered, ResultCount = 2 } },
        };

        ResponseMinimiser.Clear(response, Sensitivity.Public);

        var expected = new ListCreditRecordsResponse
        {
            Records =
            {
                Record("310000-0000001", new Subject(), ""),
                Record("310000-0000002", new Subject { CreditCode = "91310110666007217T" }, ""),
            },
            RegionStatuses = { new RegionStatus { RegionCode = "310000", Outcome = RegionOutcome.Answered, ResultCount = 2 } },
        };
        Assert.Equal(expected, response);
    }

    [Fact]
    public void Clear_ForPersonalClearance_KeepsPersonalNameAndClearsSensitiveCitizenId()
    {
        var response = new GetCreditRecordResponse { Record = Record("310000-0000001", new Subject { CitizenId = "110101199003077578" }, "张三") };

        ResponseMinimiser.Clear(response, Sensitivity.Personal);

        Assert.Equal(new GetCreditRecordResponse { Record = Record("310000-0000001", new Subject(), "张三") }, response);
    }

    [Fact]
    public void Clear_ForSensitivePersonalClearance_ChangesNothing()
    {
        var response = new ListCreditRecordsResponse { Records = { Record("310000-0000001", new Subject { CitizenId = "110101199003077578" }, "张三") } };
        var original = response.Clone();

        ResponseMinimiser.Clear(response, Sensitivity.SensitivePersonal);

        Assert.Equal(original, response);
    }

    [Fact]
    public void Clear_MessageWithMapFields_KeepsUnannotatedMapEntries()
    {
        // No contract has a map yet; one added later must not turn every minimised answer into an INTERNAL error.
        var value = new Struct
        {
            Fields =
            {
                ["region"] = Value.ForString("310000"),
                ["nested"] = Value.ForStruct(new Struct { Fields = { ["count"] = Value.ForNumber(2) } }),
            },
        };
        var original = value.Clone();

        ResponseMinimiser.Clear(value, Sensitivity.Public);

        Assert.Equal(original, value);
    }

    [Fact]
    public void Minimise_CallerCleared_ReturnsTheSameBytesWithoutParsing()
    {
        var plan = Plan("/exchange.socialsecurity.v1.SocialSecurityCardService/VerifyCard");
        var bytes = VerifyCardAnswer().ToByteArray();

        Assert.Same(bytes, ResponseMinimiser.Minimise(plan, bytes, Sensitivity.SensitivePersonal));
    }

    [Fact]
    public void Minimise_PublicCaller_ReturnsTheAnswerWithoutPersonalCardFields()
    {
        var plan = Plan("/exchange.socialsecurity.v1.SocialSecurityCardService/VerifyCard");

        var minimised = VerifyCardResponse.Parser.ParseFrom(ResponseMinimiser.Minimise(plan, VerifyCardAnswer().ToByteArray(), Sensitivity.Public));

        var expected = VerifyCardAnswer();
        expected.Card.CardNumber = "";
        expected.Card.CardIdentificationCode = "";
        expected.Card.HolderName = "";
        Assert.Equal(expected, minimised);
    }

    private static MethodPlan Plan(string path) => MethodPlan.Compile(ContractSet.MethodsByPath[path]);

    private static VerifyCardResponse VerifyCardAnswer() => new()
    {
        Card = new Card
        {
            CardNumber = "A12345678", CardIdentificationCode = "0123456789ABCDEF0123456789ABCDEF", Status = CardStatus.Normal,
            Generation = CardGeneration.Third, IssuingRegion = "341021", IssueDate = "2023-05-01", ExpiryDate = "2033-05-01",
            SpecVersion = "3.00", HolderName = "张三",
        },
        Valid = true,
    };

    private static CreditRecord Record(string id, Subject subject, string name) => new()
    {
        RecordId = id, OriginRegion = "310000", Subject = subject, SubjectName = name, Kind = RecordKind.AdministrativePenalty,
        Authority = "上海市市场监督管理局", DecisionNumber = "沪市监处〔2025〕1号", DecisionDate = "2025-01-02",
        PenaltyType = PenaltyType.Fine, PenaltyAmount = Fen(500_000), State = RecordState.Published,
    };

    private static Money Fen(long fen) => new() { Fen = fen };
}
